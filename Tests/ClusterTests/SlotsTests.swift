import Cluster
import Testing

/// Values parked in numbered slots for an event queue, each number given again once free.
@Suite struct SlotsTests {
    @Test func eachValueComesBackFromItsOwnSlot() {
        var slots = Slots<String>()
        let a = slots.park("a")
        let b = slots.park("b")
        let c = slots.park("c")
        #expect(Set([a, b, c]).count == 3)
        #expect(slots.take(b) == "b")
        #expect(slots.take(a) == "a")
        #expect(slots.take(c) == "c")
    }

    @Test func aFreedSlotIsGivenAgainBeforeANewOne() {
        var slots = Slots<Int>()
        let first = slots.park(1)
        let second = slots.park(2)
        _ = slots.take(first)
        _ = slots.take(second)
        // The last freed first, so a queue that takes and parks in step stays this size.
        #expect(slots.park(3) == second)
        #expect(slots.park(4) == first)
        #expect(slots.park(5) == 2)
        #expect(slots.take(second) == 3)
        #expect(slots.take(first) == 4)
    }

    @Test func takingAValueReleasesIt() {
        final class Tracked {}
        var slots = Slots<Tracked>()
        weak var watched: Tracked?
        do {
            let value = Tracked()
            watched = value
            let slot = slots.park(value)
            _ = slots.take(slot)
        }
        #expect(watched == nil)
    }

    @Test func removingAllReleasesEveryValueAndStartsAfresh() {
        final class Tracked {}
        var slots = Slots<Tracked>()
        weak var watched: Tracked?
        do {
            let value = Tracked()
            watched = value
            _ = slots.park(Tracked())
            _ = slots.park(value)
        }
        slots.removeAll()
        #expect(watched == nil)
        #expect(slots.park(Tracked()) == 0)
    }
}
