import Cluster
import Testing

@testable import Simulation

/// The time queue's event lists: they grow, empty without losing their storage, sort, and stop
/// the program when read past their end.
@Suite struct EventListTests {
    static func event(_ time: Int64) -> SimulatedEvent {
        SimulatedEvent(time: time, sequence: UInt64(time), parked: .action(0))
    }

    /// Emptying and freeing a list deinitializes nothing, which holds only for plain values.
    @Test func eventsArePlainValues() {
        #expect(_isPOD(SimulatedEvent.self))
    }

    @Test func eventsStayWhereTheyWereAppended() {
        var list = EventList()
        for time in (0..<100).reversed() { list.append(Self.event(Int64(time))) }
        let count = list.count
        #expect(count == 100)
        let first = list[0]
        let last = list[99]
        #expect(first == Self.event(99))
        #expect(last == Self.event(0))
        list.sort()
        let times = (0..<100).map { list[$0].time }
        #expect(times == Array(0..<100))
        list.removeAll()
        let emptied = list.count
        #expect(emptied == 0)
        list.append(Self.event(7))
        let again = list[0]
        #expect(again == Self.event(7))
    }

    @Test func readingPastTheEndStops() async {
        await #expect(processExitsWith: .failure) {
            var list = EventList()
            list.append(EventListTests.event(1))
            list.removeAll()
            _ = list[0]
        }
    }
}
