/// Virtual or wall-clock time and durations, in nanoseconds. The scheduler has no clock: each
/// event arrives with the time at which it is handled.
public typealias Nanoseconds = Int64

/// A task's dense index: the name the client, the scheduler, the workers and the backends use
/// for it, and the index of its records.
///
/// ``TaskKeys`` gives ids as clients submit keys, and never reuses one: a key forgotten and
/// submitted again keeps its id in a new incarnation.
public struct TaskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32
    public init(_ index: Int) { self.index = Int32(index) }
    @inline(__always) public var int: Int { Int(index) }
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.index < rhs.index }
    public var description: String { "t\(index)" }

    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    /// Tables keyed by task id are the machines' hottest lookups: a multiplicative hash of
    /// the dense index is enough for them and far cheaper than a full SipHash.
    public func _rawHashValue(seed: Int) -> Int { mixedHash(Int(index), seed: seed) }
}

/// Fibonacci hashing of a small integer, mixed with the table's seed: the high bits, which
/// hashed tables use, depend on every bit of the input.
@inline(__always)
package func mixedHash(_ value: Int, seed: Int) -> Int {
    let product = UInt64(truncatingIfNeeded: value ^ seed) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: product ^ (product >> 29))
}

/// A worker's dense index in the scheduler, given in the order workers were added. A worker
/// that leaves and rejoins under the same name gets a new id.
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32
    public init(_ index: Int) { self.index = Int32(index) }
    @inline(__always) public var int: Int { Int(index) }
    public static func < (lhs: WorkerID, rhs: WorkerID) -> Bool { lhs.index < rhs.index }
    public var description: String { "w\(index)" }

    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    /// See ``TaskID/_rawHashValue(seed:)``.
    public func _rawHashValue(seed: Int) -> Int { mixedHash(Int(index), seed: seed) }
}

/// Identifies one dispatch of a task to a worker (dask's `run_id`). A completion that carries
/// another run's id is stale.
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.value < rhs.value }
    public var description: String { "run\(value)" }
}

/// Identifies one steal request, so a response can be matched to the request it answers
/// (dask's `stimulus_id` "ETag", distributed#5370).
public struct StealID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "steal-\(value)" }
}

/// One of up to 64 clients, as a bit position.
public struct ClientID: Hashable, Sendable, CustomStringConvertible {
    public let index: UInt8
    public init(_ index: Int) {
        precondition((0..<64).contains(index), "client ids run from 0 to 63")
        self.index = UInt8(index)
    }
    public var description: String { "client\(index)" }
}

/// A set of clients, as a bit mask: which clients want a task's result.
struct ClientSet: Equatable, Sendable {
    private(set) var bits: UInt64 = 0
    var isEmpty: Bool { bits == 0 }
    func contains(_ client: ClientID) -> Bool { bits & (1 << client.index) != 0 }
    mutating func insert(_ client: ClientID) { bits |= 1 << client.index }
    mutating func remove(_ client: ClientID) { bits &= ~(1 << client.index) }
    mutating func removeAll() { bits = 0 }
    /// The clients in increasing order (read off the bits: every report walks them).
    var members: Members { Members(bits: bits) }

    /// The set bits, lowest first, as clients.
    struct Members: Sequence, IteratorProtocol {
        var bits: UInt64

        mutating func next() -> ClientID? {
            guard bits != 0 else { return nil }
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            return ClientID(index)
        }
    }
}

extension [WorkerID] {
    /// Where `worker` is, or would go, in this list kept in ascending order.
    func orderedPosition(of worker: WorkerID) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < worker { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
