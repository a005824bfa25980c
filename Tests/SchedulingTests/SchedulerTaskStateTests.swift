import Scheduling
import Testing

@Suite struct SchedulerTaskStateTests {
    /// dask's table (Semantics: Scheduler task states), pair by pair.
    static let direct: Set<[SchedulerTaskState]> = [
        [.released, .waiting], [.released, .erred], [.released, .forgotten],
        [.waiting, .released], [.waiting, .processing], [.waiting, .noWorker],
        [.waiting, .queued], [.waiting, .memory],
        [.queued, .released], [.queued, .processing], [.queued, .erred],
        [.processing, .released], [.processing, .memory], [.processing, .erred],
        [.noWorker, .released], [.noWorker, .processing], [.noWorker, .erred],
        [.memory, .released], [.memory, .forgotten],
        [.erred, .released],
    ]

    @Test(arguments: SchedulerTaskState.allCases, SchedulerTaskState.allCases)
    func directTransitions(from: SchedulerTaskState, to: SchedulerTaskState) {
        #expect(from.hasDirectTransition(to: to) == Self.direct.contains([from, to]))
    }

    @Test func names() {
        #expect(
            SchedulerTaskState.allCases.map(\.description) == [
                "released", "waiting", "queued", "no-worker", "processing", "memory", "erred",
                "forgotten",
            ])
    }
}
