import Cluster
import Scheduling

/// The simulation's pending events, taken in (time, tie-breaker) order: a radix heap on time
/// for a clock that never goes back, with the events of the present instant in a sorted run.
///
/// A later event's bucket is the highest bit in which its time differs from the present:
/// reaching the next instant spreads one bucket over lower ones, and an event moves at most
/// once a bit in its life, mostly far fewer times. A binary heap of every pending event paid
/// comparisons at each of its levels for every event instead.
///
/// Many events share an instant (a thousand workers finishing tasks of one duration, a batch's
/// messages). They are sorted once by tie-breaker when their instant comes; tie-breakers are
/// given in the order events are scheduled, so an event scheduled for the present goes after
/// them all. Only a perturbed run's drawn tie-breakers can put one earlier: those wait in a
/// small heap, and each removal takes the lesser of the two fronts.
struct TimeQueue: ~Copyable {
    /// Events by the highest bit in which their time differs from `present`.
    private var buckets = InlineArray<64, EventList> { _ in EventList() }
    /// Bit `i` set when bucket `i` holds events.
    private var occupied: UInt64 = 0
    /// Events at `present`, sorted; those before `head` are taken.
    private var run = EventList()
    private var head = 0
    /// Events scheduled at or before `present` that cannot join the run: a tie-breaker below
    /// the run's last, or a time before the present (looking at the next event makes its
    /// time the present, and a driver that stops short of it may still schedule earlier).
    private var early = EventQueue<SimulatedEvent>()
    /// The time of the run's events: every event in a bucket is later.
    private var present: Nanoseconds = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The next event, if any.
    var min: SimulatedEvent? {
        mutating get {
            if head == run.count, early.isEmpty { advance() }
            guard head < run.count else { return early.min }
            guard let first = early.min, first < run[head] else { return run[head] }
            return first
        }
    }

    /// Adds an event no earlier than the last one taken (the driver's clock).
    mutating func insert(_ event: SimulatedEvent) {
        count += 1
        guard event.time <= present else { return file(event) }
        if head == run.count {
            run.removeAll()
            head = 0
        }
        if event.time == present, run.count == 0 || run[run.count - 1] < event {
            run.append(event)
        } else {
            early.insert(event)
        }
    }

    /// Takes the next event out; the queue must not be empty.
    mutating func removeMin() -> SimulatedEvent {
        if head == run.count, early.isEmpty { advance() }
        count -= 1
        if head < run.count, early.isEmpty || run[head] < early.min! {
            head += 1
            return run[head - 1]
        }
        return early.removeMin()
    }

    private mutating func file(_ event: SimulatedEvent) {
        let differing = UInt64(bitPattern: event.time) ^ UInt64(bitPattern: present)
        let bucket = 63 - differing.leadingZeroBitCount
        buckets[bucket].append(event)
        occupied |= 1 << bucket
    }

    /// Makes the earliest pending time the present: its events become the run, the rest of
    /// their bucket moves to lower buckets (they differ from the new present only below its
    /// bit).
    private mutating func advance() {
        guard occupied != 0 else { return }
        let bucket = occupied.trailingZeroBitCount
        occupied &= ~(1 << bucket)
        var earliest = buckets[bucket][0].time
        for index in 1..<buckets[bucket].count {
            earliest = Swift.min(earliest, buckets[bucket][index].time)
        }
        present = earliest
        run.removeAll()
        head = 0
        var sorted = true
        for index in 0..<buckets[bucket].count {
            // Filing goes to lower buckets only, so this one is read as it was.
            let event = buckets[bucket][index]
            guard event.time == present else {
                file(event)
                continue
            }
            if run.count > 0, event < run[run.count - 1] { sorted = false }
            run.append(event)
        }
        buckets[bucket].removeAll()
        if !sorted { run.sort() }
    }
}
