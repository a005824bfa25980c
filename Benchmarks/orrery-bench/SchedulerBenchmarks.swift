import Scheduling

/// Scheduler throughput on a fan-out/fan-in graph, driven by a trivial loop that finishes each
/// compute request in the order it was sent.
enum SchedulerBenchmarks {
    static let width = 100_000
    static let workerCount = 100

    static func run() -> [Figure] {
        var specs = (0..<width).map { TaskSpec(id: TaskID($0), key: "load-\($0)") }
        let total = TaskID(width)
        specs.append(TaskSpec(id: total, key: "total", dependencies: specs.map(\.id)))
        var best = (submit: Double.infinity, execute: Double.infinity, total: Double.infinity)
        var events = 0
        for _ in 0..<3 {
            let run = SchedulerAlone(specs, wanted: [total], workers: workerCount)
            events = run.events
            best = (
                min(best.submit, run.submit), min(best.execute, run.execute),
                min(best.total, run.submit + run.execute)
            )
        }
        var echoed = 0
        let echoRate = bestRate(operations: 1, repetitions: 3) { echoed = echoLoop(events: events) }
        let baseline = echoRate * Double(echoed)
        let name = "fan-out/fan-in \(width / 1000)k×\(workerCount)w"
        return [
            Figure(
                name: "scheduler events, \(name)", unit: "events/s",
                value: Double(events) / best.total,
                baselineName: "same loop, echo instead of scheduler", baseline: baseline),
            Figure(
                name: "  execution only (graph already submitted)", unit: "events/s",
                value: Double(events - 1) / best.execute,
                baselineName: "same loop, echo instead of scheduler", baseline: baseline),
            Figure(
                name: "  graph submission (one update-graph event)", unit: "tasks/s",
                value: Double(specs.count) / best.submit,
                baselineName: "same loop, echo instead of scheduler", baseline: baseline),
        ]
    }

    /// The driver's own cost: the same number of events through an append-and-read loop.
    static func echoLoop(events: Int) -> Int {
        var commands: [SchedulerCommand] = []
        var pending: [Int] = []
        var handled = 0
        for index in 0..<events {
            commands.append(.wakeAt(Nanoseconds(index)))
            for command in commands {
                if case .wakeAt(let time, _) = command { pending.append(Int(time)) }
            }
            commands.removeAll(keepingCapacity: true)
            handled += pending[index] == index ? 1 : 0
        }
        return handled
    }
}
