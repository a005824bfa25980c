/// The workers holding a task's result, in the order they came to hold it.
///
/// Most results have one holder, kept in line: no list is made, shared or let go for it. (A
/// result's one-holder list used to be its worker's shared list, retained when the result
/// came and released when it went: two atomic operations a task.) Two or more holders are
/// kept in a list of their own. Eight bytes either way, as a list's reference is.
struct Replicas: RandomAccessCollection {
    private enum Storage {
        case none
        case one(WorkerID)
        /// Two or more.
        case many([WorkerID])
    }

    private var storage = Storage.none

    var startIndex: Int { 0 }

    var endIndex: Int { count }

    var count: Int {
        switch storage {
        case .none: 0
        case .one: 1
        case .many(let holders): holders.count
        }
    }

    var isEmpty: Bool {
        if case .none = storage { true } else { false }
    }

    subscript(position: Int) -> WorkerID {
        switch storage {
        case .one(let holder) where position == 0: holder
        case .many(let holders): holders[position]
        default: preconditionFailure("replica position \(position) out of range")
        }
    }

    /// Whether `worker` holds the result (without walking a list for one holder).
    func contains(_ worker: WorkerID) -> Bool {
        switch storage {
        case .none: false
        case .one(let holder): holder == worker
        case .many(let holders): holders.contains(worker)
        }
    }

    /// The holders as a list; a single holder's is `sole[holder]`, a list the caller keeps
    /// for each worker, so that handing the holders on allocates nothing.
    func list(sharing sole: [[WorkerID]]) -> [WorkerID] {
        switch storage {
        case .none: []
        case .one(let holder): sole[holder.int]
        case .many(let holders): holders
        }
    }

    mutating func append(_ worker: WorkerID) {
        switch storage {
        case .none:
            storage = .one(worker)
        case .one(let holder):
            storage = .many([holder, worker])
        case .many(var holders):
            // Taken out first, so that the list is not shared while it grows.
            storage = .none
            holders.append(worker)
            storage = .many(holders)
        }
    }

    mutating func remove(at position: Int) {
        switch storage {
        case .one where position == 0:
            storage = .none
        case .many(var holders):
            storage = .none
            holders.remove(at: position)
            storage = holders.count == 1 ? .one(holders[0]) : .many(holders)
        default:
            preconditionFailure("replica position \(position) out of range")
        }
    }

    mutating func removeAll() { storage = .none }
}
