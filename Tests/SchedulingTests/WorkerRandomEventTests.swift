import Scheduling
import Testing

/// Random event sequences for one worker, seeded (the seed also picks the worker's threads,
/// gathers in flight and memory pause): after every event its invariants hold, by the full
/// check and by the check of what changed (each sequence found a bug here before it
/// was fixed: see `inputsThatArriveWhileResumedAreCounted` and
/// `aCancelledFetchNeededAgainIsInFlightAgain`).
@Suite struct WorkerRandomEventTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func invariantsHoldAfterEveryEvent(seed: UInt64) {
        var events = RandomWorkerEvents(seed: seed &* 7_919)
        let worker = RandomWorkerEvents.worker(variant: seed)
        for step in 0..<5_000 {
            let event = events.next()
            events.absorb(worker.handle(event))
            let changed = worker.changedInvariantViolations()
            let all = worker.invariantViolations()
            #expect(changed.isEmpty && all.isEmpty, "step \(step), \(event): \(changed) \(all)")
            guard changed.isEmpty, all.isEmpty else { return }
        }
    }
}
