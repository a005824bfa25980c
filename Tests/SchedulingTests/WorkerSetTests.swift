import Testing

@testable import Scheduling

struct WorkerSetTests {
    /// Random inserts and removals, beside a plain set: the members, their order, the count
    /// and the first member agree after every step.
    @Test(arguments: [1, 2, 3])
    func agreesWithASetThroughRandomChanges(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var set = WorkerSet()
        var reference = Set<Int>()
        for _ in 0..<2_000 {
            // Ids across several words, and past the end of what the set has grown to.
            let id = Int.random(in: 0..<300, using: &generator)
            if Bool.random(using: &generator) {
                set.insert(WorkerID(id))
                reference.insert(id)
            } else {
                set.remove(WorkerID(id))
                reference.remove(id)
            }
            let sorted = reference.sorted()
            #expect(set.members.map(\.int) == sorted)
            #expect(set.count == reference.count)
            #expect(set.isEmpty == reference.isEmpty)
            #expect(set.first?.int == sorted.first)
            #expect(set.contains(WorkerID(id)) == reference.contains(id))
        }
    }

    @Test func insertingTwiceOrRemovingWhatIsNotThereChangesNothing() {
        var set = WorkerSet()
        set.remove(WorkerID(70))
        #expect(set.isEmpty && set.first == nil && set.members.isEmpty)
        set.insert(WorkerID(64))
        set.insert(WorkerID(64))
        set.insert(WorkerID(3))
        #expect(set.count == 2)
        #expect(set.members == [WorkerID(3), WorkerID(64)])
        set.remove(WorkerID(500))
        set.remove(WorkerID(3))
        set.remove(WorkerID(3))
        #expect(set.count == 1)
        #expect(set.first == WorkerID(64))
        #expect(!set.contains(WorkerID(3)) && !set.contains(WorkerID(1_000)))
    }
}
