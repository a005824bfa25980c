/// A set of workers, one bit each by id: a worker joins or leaves it in constant time, and
/// its members come out in id order.
///
/// The scheduler keeps the workers with a free slot in one. A worker's last slot is taken and
/// freed again for every task a busy cluster runs, so membership changes far more often than
/// the set is read; a sorted list moved half its length on each change.
struct WorkerSet {
    private var words: [UInt64] = []
    /// How many workers it holds.
    private(set) var count = 0
    /// The worker inserted last: when it is the only member, the first member is known
    /// without a search (a busy cluster frees one slot at a time and fills it again).
    private var lastInserted = WorkerID(0)

    var isEmpty: Bool { count == 0 }

    func contains(_ worker: WorkerID) -> Bool {
        let (word, bit) = Self.place(of: worker)
        return word < words.count && words[word] & bit != 0
    }

    /// Adds `worker` (nothing changes if it is a member).
    mutating func insert(_ worker: WorkerID) {
        let (word, bit) = Self.place(of: worker)
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: word + 1 - words.count))
        }
        guard words[word] & bit == 0 else { return }
        words[word] |= bit
        count += 1
        lastInserted = worker
    }

    /// Takes `worker` out (nothing changes if it is not a member).
    mutating func remove(_ worker: WorkerID) {
        let (word, bit) = Self.place(of: worker)
        guard word < words.count, words[word] & bit != 0 else { return }
        words[word] &= ~bit
        count -= 1
    }

    /// The member with the lowest id.
    var first: WorkerID? {
        guard !isEmpty else { return nil }
        if count == 1, contains(lastInserted) { return lastInserted }
        for (index, word) in words.enumerated() where word != 0 {
            return WorkerID(index &* 64 &+ word.trailingZeroBitCount)
        }
        return nil
    }

    /// The members in id order.
    var members: [WorkerID] {
        var members: [WorkerID] = []
        members.reserveCapacity(count)
        for (index, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                members.append(WorkerID(index &* 64 &+ rest.trailingZeroBitCount))
                rest &= rest &- 1
            }
        }
        return members
    }

    private static func place(of worker: WorkerID) -> (word: Int, bit: UInt64) {
        (worker.int >> 6, 1 << UInt64(worker.int & 63))
    }
}
