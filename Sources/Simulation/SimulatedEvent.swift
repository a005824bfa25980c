import Cluster
import Scheduling

/// Something that happens at a virtual time. Ties break by the order events were scheduled.
///
/// The queue holds only the time, the tie-breaker and where what happens waits in
/// ``SimulatedCluster``'s slots: the queue moves its entries often, and cluster events are big.
struct SimulatedEvent: Comparable {
    var time: Nanoseconds
    var sequence: UInt64
    var parked: ParkedWork

    static func < (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }

    static func == (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) == (rhs.time, rhs.sequence)
    }
}
