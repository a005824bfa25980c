import Testing

@testable import Scheduling

@Suite struct TaskQueueTests {
    func entry(_ sequence: Int, user: Int = 0) -> QueueEntry {
        QueueEntry(
            priority: TaskPriority(negatedUser: user, generation: 0, sequence: sequence),
            task: TaskID(sequence))
    }

    /// In order, out of order and mixed with pops: always the smallest first, as a sorted
    /// list would give them.
    @Test(arguments: [0, 1, 2, 3] as [UInt64])
    func popsTheSmallestFirst(seed: UInt64) {
        var queue = TaskQueue()
        var model: [Int] = []
        var generator = SeededGenerator(seed: seed)
        var next = 0
        for step in 0..<20_000 {
            switch generator.next() % 5 {
            case 0, 1:
                // Mostly in order, as a graph's roots arrive.
                next += 1
                queue.insert(entry(next))
                model.append(next)
            case 2:
                let sequence = Int(generator.next() % UInt64(next + 1))
                queue.insert(entry(sequence))
                model.append(sequence)
            default:
                model.sort()
                let popped = queue.popMin()?.priority.sequence
                #expect(popped == model.first, "step \(step)")
                if !model.isEmpty { model.removeFirst() }
            }
            if step % 5_000 == 4_999 { queue.shrink() }
            #expect(queue.count == model.count)
        }
        model.sort()
        var rest: [Int] = []
        while let entry = queue.popMin() { rest.append(entry.priority.sequence) }
        #expect(rest == model && queue.isEmpty)
    }

    @Test func aHigherUserPriorityGoesFirstEvenWhenLater() {
        var queue = TaskQueue()
        queue.insert(entry(1))
        queue.insert(entry(2))
        queue.insert(entry(3, user: -1))
        #expect(queue.popMin()?.task == TaskID(3))
        #expect(queue.popMin()?.task == TaskID(1))
    }
}
