import Cluster
import Futures
import Scheduling

/// The client with nothing behind it, on the same independent tasks as the simulation's
/// figure: the `map` is taken as sent, each body runs, and each future hears that its task
/// runs and then that it finished, with its value; then the futures are dropped. Every
/// backend leaves the client this work, so beside ``MachinesAlone`` it gives the floor of the
/// simulation's figure: its rate if carrying the messages, ordering the events and hashing the
/// trace cost nothing.
enum ClientAlone {
    /// The best rate, in tasks a second from the `map` to the futures' release, of
    /// `repetitions` runs of `count` independent tasks.
    static func independentRate(count: Int, repetitions: Int = 3) -> Double {
        bestRate(operations: count, repetitions: repetitions) {
            let backend = InstantBackend()
            let futures = SimulationBenchmarks.submitIndependent(count, to: Client(backend))
            precondition(backend.waitUntilQuiet(timeout: nil))
            precondition(futures.allSatisfy { $0.status == .finished })
        }
    }
}

/// A backend that finishes every task of a graph it is sent, on the caller's thread, once it
/// is asked to run: no scheduler, no workers, no clock.
private final class InstantBackend: ClusterBackend, @unchecked Sendable {
    var waitStrategy: any WaitStrategy { ThreadWaitStrategy.shared }
    let taskKeys = SharedTaskKeys()
    private var receiver: WeakReceiver?
    private var tokens = SeededGenerator(seed: 1)
    /// The graphs sent and not run yet, with their bodies.
    private var graphs: [(tasks: [TaskSpec], bodies: BodyBatch)] = []

    func connect(_ receiver: any ClientReceiver) -> ClientID {
        self.receiver = WeakReceiver(receiver)
        return ClientID(0)
    }

    func send(_ event: SchedulerEvent, bodies: BodyBatch, from client: ClientID) {
        guard case .updateGraph(_, let tasks, _) = event else {
            preconditionFailure("the client alone sends graphs only")
        }
        graphs.append((tasks, bodies))
    }

    /// Released results are nowhere to free.
    func release(_ task: TaskID, from client: ClientID) {}

    func error(of failure: TaskFailure) -> (any Error)? { nil }

    func freshToken() -> String { tokens.keyToken() }

    func sleep(until time: Nanoseconds) -> Bool { true }

    /// Runs every graph sent: each task's body on no inputs (independent tasks), and its
    /// two reports.
    func waitUntilQuiet(timeout: Duration?) -> Bool {
        guard let client = receiver?.receiver else { return true }
        for (tasks, bodies) in graphs {
            for (position, spec) in tasks.enumerated() {
                let value = try! bodies[position]([])
                client.receive(task: spec.id, news: .running, value: nil)
                client.receive(task: spec.id, news: .finished, value: value)
            }
        }
        graphs = []
        return true
    }
}
