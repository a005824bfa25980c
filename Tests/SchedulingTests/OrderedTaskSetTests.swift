import Testing

@testable import Scheduling

@Suite struct OrderedTaskSetTests {
    func ids(_ set: OrderedTaskSet) -> [Int32] { set.map(\.index) }

    @Test func keepsTheOrderOfAddingAndEachIdOnce() {
        var set = OrderedTaskSet()
        let added = [3, 1, 2, 1].map { set.append(TaskID($0)) }
        #expect(added == [true, true, true, false])
        #expect(ids(set) == [3, 1, 2] && set.count == 3)
        let removed = [1, 1].map { set.remove(TaskID($0)) }
        #expect(removed == [true, false])
        let addedAgain = set.append(TaskID(1))
        #expect(addedAgain)
        #expect(ids(set) == [3, 2, 1] && set.contains(TaskID(2)) && !set.contains(TaskID(4)))
    }

    /// Removals leave gaps that compaction drops; order and membership survive it.
    @Test func staysInOrderThroughManyRemovals() {
        var set = OrderedTaskSet()
        var model: [Int32] = []
        var generator = SeededGenerator(seed: 7)
        for step in 0..<5_000 {
            let id = Int32.random(in: 0..<300, using: &generator)
            if Bool.random(using: &generator) || step % 7 == 0 {
                let removed = set.remove(TaskID(Int(id)))
                #expect(removed == model.contains(id))
                model.removeAll { $0 == id }
            } else {
                let added = set.append(TaskID(Int(id)))
                #expect(added == !model.contains(id))
                if !model.contains(id) { model.append(id) }
            }
        }
        #expect(ids(set) == model && set.count == model.count)
        #expect((0..<300).allSatisfy { set.contains(TaskID($0)) == model.contains(Int32($0)) })
    }

    @Test func listsWhatChangedOnlyWhileLogging() {
        var set = OrderedTaskSet()
        var changes: [TaskID] = []
        set.append(TaskID(1))
        set.takeChanges(into: &changes)
        #expect(changes.isEmpty)
        set.logsChanges = true
        set.append(TaskID(2))
        set.remove(TaskID(1))
        set.remove(TaskID(5))
        set.takeChanges(into: &changes)
        #expect(changes.map(\.index) == [2, 1])
        set.takeChanges(into: &changes)
        #expect(changes.count == 2)
    }
}
