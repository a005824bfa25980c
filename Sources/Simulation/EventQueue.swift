import HeapModule
import Scheduling

/// The simulation's pending events, taken in (time, sequence) order: a radix heap on time, for
/// a clock that never goes back, with the events of the current instant in a binary heap by
/// sequence.
///
/// An event is never scheduled before the last one taken, so an event's bucket is the highest
/// bit in which its time differs from that last time: taking the next instant rescans one
/// bucket, and each event moves down at most 64 times in its life, most far fewer. Ties (many
/// events at one instant: batches, zero latency) stay in the small heap.
struct EventQueue {
    /// Events by the highest bit in which their time differs from `floor`.
    private var buckets = [[SimulatedEvent]](repeating: [], count: 64)
    /// Events at `floor`, by sequence.
    private var current = Heap<SimulatedEvent>()
    /// The time of the events in `current`: no event is earlier.
    private var floor: Nanoseconds = 0
    /// Bit `i` set when bucket `i` holds events.
    private var occupied: UInt64 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Adds an event no earlier than the last one taken.
    mutating func insert(_ event: SimulatedEvent) {
        precondition(event.time >= floor, "an event before the simulation's present")
        count += 1
        if event.time == floor {
            current.insert(event)
        } else {
            file(event)
        }
    }

    /// The next event, without taking it.
    mutating func peek() -> SimulatedEvent? {
        if current.isEmpty { advance() }
        return current.min
    }

    /// Takes the next event.
    mutating func popMin() -> SimulatedEvent? {
        if current.isEmpty { advance() }
        guard let event = current.popMin() else { return nil }
        count -= 1
        return event
    }

    mutating func removeAll() {
        self = EventQueue()
    }

    private mutating func file(_ event: SimulatedEvent) {
        let bucket = 63 - (UInt64(bitPattern: event.time) ^ UInt64(bitPattern: floor))
            .leadingZeroBitCount
        buckets[bucket].append(event)
        occupied |= 1 << bucket
    }

    /// Moves the earliest time's events into `current`, spreading the rest of their bucket
    /// over lower buckets.
    private mutating func advance() {
        guard occupied != 0 else { return }
        let bucket = occupied.trailingZeroBitCount
        var events: [SimulatedEvent] = []
        swap(&events, &buckets[bucket])
        occupied &= ~(1 << bucket)
        floor = events.lazy.map(\.time).min()!
        for event in events {
            if event.time == floor { current.insert(event) } else { file(event) }
        }
        // Nothing went back to this bucket (its events all differ from the new floor in
        // lower bits): the emptied array returns, keeping its storage.
        events.removeAll(keepingCapacity: true)
        swap(&events, &buckets[bucket])
    }
}
