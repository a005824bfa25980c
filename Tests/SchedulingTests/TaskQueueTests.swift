import Testing

@testable import Scheduling

@Suite struct TaskQueueTests {
    /// Task `n`'s priority: submitted `n`th, `user` as given (0 unless listed).
    struct Priorities {
        var users: [Int: Int] = [:]
        func callAsFunction(_ task: TaskID) -> TaskPriority {
            TaskPriority(negatedUser: users[task.int] ?? 0, generation: 0, sequence: task.int)
        }
    }

    /// In order, out of order and mixed with pops: always the smallest first, as a sorted
    /// list would give them.
    @Test(arguments: [0, 1, 2, 3] as [UInt64])
    func popsTheSmallestFirst(seed: UInt64) {
        let priority = Priorities()
        var queue = TaskQueue()
        var model: [Int] = []
        var generator = SeededGenerator(seed: seed)
        var next = 0
        for step in 0..<20_000 {
            switch generator.next() % 5 {
            case 0, 1:
                // Mostly in order, as a graph's roots arrive.
                next += 1
                queue.insert(TaskID(next), by: priority.callAsFunction)
                model.append(next)
            case 2:
                let sequence = Int(generator.next() % UInt64(next + 1))
                queue.insert(TaskID(sequence), by: priority.callAsFunction)
                model.append(sequence)
            default:
                model.sort()
                let popped = queue.popMin(by: priority.callAsFunction)?.int
                #expect(popped == model.first, "step \(step)")
                if !model.isEmpty { model.removeFirst() }
            }
            if step % 5_000 == 4_999 { queue.shrink() }
            #expect(queue.count == model.count)
        }
        model.sort()
        var rest: [Int] = []
        while let task = queue.popMin(by: priority.callAsFunction) { rest.append(task.int) }
        #expect(rest == model && queue.isEmpty)
    }

    @Test func aHigherUserPriorityGoesFirstEvenWhenLater() {
        let priority = Priorities(users: [3: -1])
        var queue = TaskQueue()
        for task in 1...3 { queue.insert(TaskID(task), by: priority.callAsFunction) }
        #expect(queue.popMin(by: priority.callAsFunction) == TaskID(3))
        #expect(queue.popMin(by: priority.callAsFunction) == TaskID(1))
    }

    /// Queued tasks whose priorities changed, in the sorted run and in the heap, come out in
    /// their new order once the queue is reordered.
    @Test func aReorderedQueueFollowsTheNewPriorities() {
        var priority = Priorities()
        var queue = TaskQueue()
        for task in [1, 2, 3, 4, 6, 5, 0] {
            queue.insert(TaskID(task), by: priority.callAsFunction)
        }
        #expect(queue.popMin(by: priority.callAsFunction) == TaskID(0))
        priority.users = [4: -2, 5: -1, 2: 1]
        queue.reorder(by: priority.callAsFunction)
        var order: [Int] = []
        while let task = queue.popMin(by: priority.callAsFunction) { order.append(task.int) }
        #expect(order == [4, 5, 1, 3, 6, 2])
    }
}
