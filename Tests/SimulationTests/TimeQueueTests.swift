import Cluster
import Scheduling
import Testing

@testable import Simulation

/// The simulation's event queue: events come out in (time, tie-breaker) order, as from one
/// sorted list, whatever mix of ties, far-off times and out-of-order tie-breakers goes in.
/// (The queue cannot be copied, so its properties are read into constants for `#expect`.)
@Suite struct TimeQueueTests {
    /// A deterministic stream of numbers for the tests' orders.
    struct Numbers {
        var state: UInt64
        mutating func next(below bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
    }

    static func event(_ time: Nanoseconds, _ sequence: UInt64) -> SimulatedEvent {
        SimulatedEvent(time: time, sequence: sequence, parked: .event(0))
    }

    /// A simulation's pattern: each event taken schedules others at or after it; ties are
    /// common, a few times lie far ahead. With `drawn`, tie-breakers are random (a perturbed
    /// run's), so an event scheduled for the present can come before those already there.
    @Test(arguments: [false, true])
    func eventsComeOutAsFromASortedList(drawn: Bool) {
        var numbers = Numbers(state: drawn ? 3 : 5)
        var queue = TimeQueue()
        var reference: [SimulatedEvent] = []
        var now: Nanoseconds = 0
        var sequence: UInt64 = 0
        var taken = 0
        for _ in 0..<20_000 {
            if reference.isEmpty || numbers.next(below: 5) < 3 {
                let delay: Nanoseconds =
                    switch numbers.next(below: 10) {
                    case 0..<4: 0
                    case 4..<8: Nanoseconds(numbers.next(below: 1_000))
                    case 8: Nanoseconds(numbers.next(below: 1 << 40))
                    default: Nanoseconds(1) << 62
                    }
                sequence += 1
                let event = Self.event(
                    now + delay, drawn ? numbers.next(below: 1 << 32) : sequence)
                queue.insert(event)
                reference.insert(
                    event, at: reference.firstIndex { event < $0 } ?? reference.endIndex)
            } else {
                let next = queue.min
                #expect(next == reference.first)
                let event = queue.removeMin()
                #expect(event == reference.removeFirst())
                #expect(event.time >= now)
                now = event.time
                taken += 1
            }
            let count = queue.count
            #expect(count == reference.count)
        }
        while let expected = reference.first {
            #expect(queue.removeMin() == expected)
            reference.removeFirst()
        }
        let next = queue.min
        #expect(next == nil)
        let empty = queue.isEmpty
        #expect(empty)
        #expect(taken > 5_000)
    }

    /// A driver that looked at the next event and stopped short of it (a deadline) may still
    /// schedule something earlier, which comes out first.
    @Test func anEventEarlierThanOneLookedAtComesFirst() {
        var queue = TimeQueue()
        queue.insert(Self.event(1_000, 1))
        queue.insert(Self.event(5_000, 2))
        var next = queue.min
        #expect(next == Self.event(1_000, 1))
        #expect(queue.removeMin() == Self.event(1_000, 1))
        next = queue.min
        #expect(next == Self.event(5_000, 2))
        queue.insert(Self.event(2_000, 3))
        queue.insert(Self.event(1_000, 4))
        #expect(queue.removeMin() == Self.event(1_000, 4))
        #expect(queue.removeMin() == Self.event(2_000, 3))
        #expect(queue.removeMin() == Self.event(5_000, 2))
        let empty = queue.isEmpty
        #expect(empty)
    }

    /// Many events of one instant come out by tie-breaker, whichever order they were
    /// scheduled in and whether they were scheduled before or at that instant.
    @Test func tiesComeOutByTieBreaker() {
        var queue = TimeQueue()
        for sequence in [9, 3, 7, 1, 5] as [UInt64] { queue.insert(Self.event(10, sequence)) }
        #expect(queue.removeMin() == Self.event(10, 1))
        // Scheduled at the present now: one below the rest, one above them.
        queue.insert(Self.event(10, 2))
        queue.insert(Self.event(10, 11))
        let order = (0..<6).map { _ in queue.removeMin().sequence }
        #expect(order == [2, 3, 5, 7, 9, 11])
        let empty = queue.isEmpty
        #expect(empty)
    }
}
