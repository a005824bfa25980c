/// Records by position (a task's or worker's id) that can remember which of them were
/// written, so that checking the scheduler after an event can look at those records (and
/// their neighbours) instead of at all of them.
///
/// Every write goes through the subscript's modify accessor or `append`, so while tracking is
/// on no change escapes notice; reads cost what an array's do.
///
/// The table owns its storage (from ``TableMemory``, which gives a large table huge pages on
/// Linux) and cannot be copied. An array kept in a class property is retained around each
/// read and checked for a second owner before each write, about a thousand instructions a
/// task on the scheduler's path; a table that nothing can share needs neither.
struct ChangeTrackedTable<Record>: ~Copyable {
    private var records: UnsafeMutablePointer<Record>
    private var capacity: Int
    /// How many records the table holds; positions `0..<count` are initialised.
    private(set) var count = 0
    /// Positions written since the last ``takeChanges(into:)``, each once.
    private var changes: [Int32] = []
    private var isChanged: [Bool] = []
    /// Whether writes are being remembered: off until a checker asks for changes.
    private(set) var tracksChanges = false

    init() {
        capacity = 16
        records = TableMemory.allocate(Record.self, capacity: capacity)
    }

    deinit {
        records.deinitialize(count: count)
        TableMemory.deallocate(records)
    }

    var indices: Range<Int> { 0..<count }

    subscript(position: Int) -> Record {
        @inline(__always) get {
            checkPosition(position)
            return records[position]
        }
        @inline(__always) _modify {
            checkPosition(position)
            // Most writes go to a record already written since the last check: only the
            // first calls out.
            if tracksChanges, !isChanged[position] { note(position) }
            yield &records[position]
        }
    }

    /// Stops the program on a position outside the table, as an array would (one comparison:
    /// a negative position wraps round to a large unsigned one).
    @inline(__always) private func checkPosition(_ position: Int) {
        precondition(
            UInt(bitPattern: position) < UInt(bitPattern: count), "table position out of range")
    }

    mutating func append(_ record: consuming Record) {
        if count == capacity { reserveCapacity(capacity * 2) }
        (records + count).initialize(to: record)
        count += 1
        if tracksChanges {
            isChanged.append(false)
            note(count - 1)
        }
    }

    mutating func reserveCapacity(_ minimum: Int) {
        guard minimum > capacity else { return }
        let grown = TableMemory.allocate(Record.self, capacity: minimum)
        grown.moveInitialize(from: records, count: count)
        TableMemory.deallocate(records)
        records = grown
        capacity = minimum
    }

    /// Runs `body` on the records in place.
    func withRecords<Result>(_ body: (UnsafeBufferPointer<Record>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: records, count: count))
    }

    /// Starts remembering writes; nothing written before counts as changed.
    mutating func startTrackingChanges() {
        tracksChanges = true
        isChanged = Array(repeating: false, count: count)
        changes.removeAll()
    }

    /// Moves the positions written since the last call into `positions` (after what it holds).
    mutating func takeChanges(into positions: inout [Int32]) {
        for position in changes { isChanged[Int(position)] = false }
        positions += changes
        changes.removeEach()
    }

    private mutating func note(_ position: Int) {
        isChanged[position] = true
        changes.append(Int32(position))
    }
}
