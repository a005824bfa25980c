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

    final class Tracked {}

    /// Parks a fresh value, held nowhere else: its slot, and whether it still lives.
    func parkTracked(in slots: inout Slots<Tracked>) -> (slot: Int32, lives: () -> Bool) {
        let value = Tracked()
        weak let watched = value
        return (slots.park(value), { watched != nil })
    }

    @Test func takingAValueReleasesIt() {
        var slots = Slots<Tracked>()
        let parked = parkTracked(in: &slots)
        #expect(parked.lives())
        _ = slots.take(parked.slot)
        #expect(!parked.lives())
    }

    @Test func removingAllReleasesEveryValueAndStartsAfresh() {
        var slots = Slots<Tracked>()
        let first = parkTracked(in: &slots)
        let second = parkTracked(in: &slots)
        slots.removeAll()
        #expect(!first.lives() && !second.lives())
        #expect(slots.park(Tracked()) == 0)
    }

    @Test func valuesSurviveTheStorageGrowing() {
        var slots = Slots<String>()
        let parked = (0..<1000).map { slots.park("value \($0)") }
        _ = slots.take(parked[10])
        for index in 1000..<3000 { _ = slots.park("value \(index)") }
        #expect(slots.take(parked[999]) == "value 999")
        #expect(slots.take(parked[0]) == "value 0")
    }

    @Test func droppingTheSlotsReleasesOnlyWhatIsStillParked() {
        var lives: [() -> Bool] = []
        do {
            var slots = Slots<Tracked>()
            let taken = parkTracked(in: &slots)
            let kept = parkTracked(in: &slots)
            lives = [taken.lives, kept.lives]
            _ = slots.take(taken.slot)
            #expect(!taken.lives() && kept.lives())
        }
        #expect(!lives[1]())
    }

    @Test func takingAFreeSlotStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            var slots = Slots<Int>()
            let slot = slots.park(1)
            _ = slots.take(slot)
            _ = slots.take(slot)
        }
    }
}
