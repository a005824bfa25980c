import Cluster
import Scheduling

/// Something that happens at a virtual time. Ties break by the order events were scheduled.
///
/// The queue holds only the time, the tie-breaker and where what happens waits in
/// ``SimulatedCluster``'s slots: a heap moves its entries often, and cluster events are big.
struct SimulatedEvent: Comparable {
    var time: Nanoseconds
    var sequence: UInt64
    var parked: Parked

    /// Where what happens waits: cluster events and client code in slots of their own, so
    /// each is taken out as what it is, not copied out of a case that wraps it.
    enum Parked: Equatable {
        /// Something that happens to the cluster, by its slot.
        case event(Int32)
        /// Client code waiting for its time, by its slot.
        case callback(Int32)
    }

    static func < (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }

    static func == (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) == (rhs.time, rhs.sequence)
    }
}
