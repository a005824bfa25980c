import Cluster

/// A growable list of events in storage of its own, for ``TimeQueue``'s buckets and run.
///
/// Arrays kept inside a queue kept inside a class were checked for a second owner on every
/// write, and emptying one while keeping its storage went through a general replacement of a
/// range; this list cannot be shared, so a write is a store and emptying it sets a count. Its
/// events are plain values (two numbers and a slot number), so emptying or freeing it has
/// nothing to deinitialize; a test holds ``SimulatedEvent`` to that.
struct EventList: ~Copyable {
    /// None until the first event (a queue has 64 buckets, most never used).
    private var storage: UnsafeMutablePointer<SimulatedEvent>?
    private var capacity = 0
    /// How many events it holds, at positions `0..<count`.
    private(set) var count = 0

    init() {}

    deinit { storage?.deallocate() }

    subscript(position: Int) -> SimulatedEvent {
        precondition(UInt(bitPattern: position) < UInt(bitPattern: count), "no such event")
        return storage.unsafelyUnwrapped[position]
    }

    mutating func append(_ event: SimulatedEvent) {
        if count == capacity {
            let larger = max(4, capacity * 2)
            let grown = UnsafeMutablePointer<SimulatedEvent>.allocate(capacity: larger)
            if let storage {
                grown.moveInitialize(from: storage, count: count)
                storage.deallocate()
            }
            storage = grown
            capacity = larger
        }
        (storage.unsafelyUnwrapped + count).initialize(to: event)
        count += 1
    }

    /// Empties it, keeping its storage.
    mutating func removeAll() { count = 0 }

    /// Orders what it holds.
    mutating func sort() {
        var events = UnsafeMutableBufferPointer(start: storage, count: count)
        events.sort()
    }
}
