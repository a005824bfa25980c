import Cluster
import Scheduling

/// Something that happens at a virtual time. Ties break by the order events were scheduled.
///
/// The queue holds only the time, the tie-breaker and where the action waits in
/// ``SimulatedCluster``'s action slots: a heap moves its entries often, and actions are big.
struct SimulatedEvent: Comparable {
    var time: Nanoseconds
    var sequence: UInt64
    /// The action's slot.
    var slot: Int32

    enum Action {
        /// Something that happens to the cluster.
        case cluster(ClusterEvent)
        /// Client code waiting for its time, by id.
        case callback(Int)
    }

    static func < (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }

    static func == (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) == (rhs.time, rhs.sequence)
    }
}
