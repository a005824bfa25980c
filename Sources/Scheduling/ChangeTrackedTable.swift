/// Records by position (a task's or worker's id) that can remember which of them were
/// written, so that checking the scheduler after an event can look at those records (and
/// their neighbours) instead of at all of them.
///
/// Every write goes through the subscript's modify accessor or `append`, so while tracking is
/// on no change escapes notice; reads cost what an array's do.
struct ChangeTrackedTable<Record>: RandomAccessCollection, MutableCollection {
    private var records: [Record] = []
    /// Positions written since the last ``takeChanges(into:)``, each once.
    private var changes: [Int32] = []
    private var isChanged: [Bool] = []
    /// Whether writes are being remembered: off until a checker asks for changes.
    private(set) var tracksChanges = false

    var startIndex: Int { 0 }
    var endIndex: Int { records.count }

    subscript(position: Int) -> Record {
        // A getter, not a read coroutine: the coroutine was not inlined, and each call
        // allocated its frame and copied the whole record (retaining each of its lists) to
        // read one field. Inlined, the getter reads the field alone.
        @inline(__always) get { records[position] }
        @inline(__always) _modify {
            if tracksChanges { note(position) }
            yield &records[position]
        }
    }

    mutating func append(_ record: Record) {
        records.append(record)
        if tracksChanges {
            isChanged.append(false)
            note(records.count - 1)
        }
    }

    mutating func reserveCapacity(_ capacity: Int) {
        records.reserveCapacity(capacity)
    }

    /// Runs `body` on the records in place. It writes nothing: it is `mutating` so that a table
    /// kept in a class is used where it is, not copied (and its lists retained) for the call.
    mutating func withRecords<Result>(_ body: (UnsafeBufferPointer<Record>) -> Result) -> Result {
        records.withUnsafeBufferPointer(body)
    }

    /// Starts remembering writes; nothing written before counts as changed.
    mutating func startTrackingChanges() {
        tracksChanges = true
        isChanged = Array(repeating: false, count: records.count)
        changes.removeAll()
    }

    /// Moves the positions written since the last call into `positions` (after what it holds).
    mutating func takeChanges(into positions: inout [Int32]) {
        for position in changes { isChanged[Int(position)] = false }
        positions += changes
        changes.removeAll(keepingCapacity: true)
    }

    private mutating func note(_ position: Int) {
        guard !isChanged[position] else { return }
        isChanged[position] = true
        changes.append(Int32(position))
    }
}
