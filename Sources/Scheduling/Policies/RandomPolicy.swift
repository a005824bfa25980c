/// `random`: a uniformly random candidate, drawn from a seeded generator.
public final class RandomPolicy: SchedulingPolicy {
    public let name = "random"
    private var generator: SeededGenerator

    public init(generator: SeededGenerator) {
        self.generator = generator
    }

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        candidates[Int(generator.next() % UInt64(candidates.count))]
    }
}
