import Cluster
@_spi(PlantedBugs) import Scheduling

/// Every mapping of the scenario format, as the loader reads it.
///
/// The loader checks each mapping's keys against its table here; ``ScenarioSchema`` writes the
/// JSON Schema editors use and ``ScenarioKeyReference`` the key reference from the same
/// tables.
public enum ScenarioFormat {
    /// The whole file.
    public static let scenario = KeyTable(
        "scenario", "A cluster, a workload, a client timeline, faults and expectations.",
        keys: [
            FormatKey(
                "name", .text, default: "the file's name", "What reports and messages call it."),
            FormatKey("description", .text, default: "\"\"", "A line on what it checks."),
            FormatKey(
                "seed", .integer(minimum: 0, maximum: nil), default: "1",
                "The nominal run's seed; `--seed` overrides it."),
            FormatKey("cluster", .table(cluster), required: true, "The workers at the start."),
            FormatKey("network", .table(network), "Latency, bandwidth and batching."),
            FormatKey("scheduler", .table(scheduler), "The policy and dask's scheduler settings."),
            FormatKey("tasks", .list(.table(task)), "The task graph, entry by entry."),
            FormatKey("generate", .list(.table(generator)), "Graphs made by a generator."),
            FormatKey(
                "client", .list(.table(clientAction)), default: "submit every task at 0s",
                "What the client does and when."),
            FormatKey("faults", .list(.table(fault)), "What goes wrong and when."),
            FormatKey("expect", .list(.table(expectation)), "What must hold at the end of a run."),
            FormatKey(
                "cpu", .boolean, default: "false",
                "Whether a real run spins a CPU for each task's duration rather than sleeping."),
        ])

    // MARK: Cluster

    public static let cluster = KeyTable(
        "cluster", "The cluster at the start of the run.",
        keys: [FormatKey("workers", .list(.table(workerFamily)), required: true, "The workers.")])

    /// A worker a fault adds (one, named).
    public static let worker = KeyTable(
        "worker", "One worker.",
        keys: [FormatKey("name", .text, required: true, "Its name, unique in the cluster.")]
            + workerSettings)

    /// A worker, or a family of `count` alike (named `prefix0`, `prefix1`, …).
    public static let workerFamily = KeyTable(
        "worker_or_family", "One worker, or a family of `count` alike workers.",
        choice: .atLeastOne(["name", "count"]),
        keys: [FormatKey("name", .text, "Its name, unique in the cluster (not with `count`).")]
            + workerSettings + [
                FormatKey(
                    "count", .integer(minimum: 1, maximum: 100_000),
                    "Makes a family of this many alike workers, named `prefix0`, `prefix1`, …"),
                FormatKey("prefix", .text, default: "w", "The family's name prefix."),
            ])

    private static let workerSettings = [
        FormatKey(
            "threads", .integer(minimum: 1, maximum: NodeReader.mostThreads), default: "1",
            "Tasks it runs at once."),
        FormatKey(
            "speed", .positiveNumber(maximum: nil, infinite: false), default: "1",
            "Its speed factor: a 1s task takes 1s / speed."),
        FormatKey("memory", .size, "Its memory limit; no limit when left out."),
        FormatKey(
            "memory_target", .fraction, default: "0.6",
            "Fraction of `memory` above which the least recently used results move to disk as results arrive; needs `memory`."
        ),
        FormatKey(
            "memory_spill", .fraction, default: "0.7",
            "Fraction of `memory` above which results move to disk until under `memory_target`; needs `memory`."
        ),
        FormatKey(
            "disk_bandwidth", .bandwidth, default: "500MB/s",
            "How fast spilled results are read back; needs `memory`."),
        FormatKey(
            "memory_pause", .fraction,
            "Fraction of `memory` at which it pauses (takes no new tasks); needs `memory`."),
        FormatKey(
            "memory_terminate", .fraction,
            "Fraction of `memory` at which it is killed; needs `memory`."),
        FormatKey("resources", .resources, "Abstract resources it supplies, like `{GPU: 2}`."),
        FormatKey(
            "first_task_delay", .duration, default: "0s",
            "Its warm-up: from its first order to execute, nothing runs on it for this long (a fresh dask worker importing the task's code); what it was told to run meanwhile starts then."
        ),
        FormatKey(
            "handoff", durationModel, default: "0s",
            "How long after an execution ends it hears of it, drawn for each execution (a dask worker's event loop taking the result from the thread): the thread's slot stays taken, and the result is reported, that much later."
        ),
        FormatKey(
            "start_gap", durationModel, default: "0s",
            "How long its event loop takes to start an execution, drawn for each: executions it starts at one time begin this far apart, in the order it picked them (a dask worker handing its ready tasks to its threads one by one)."
        ),
    ]

    public static let network = KeyTable(
        "network", "The network between workers, and to the client and scheduler.",
        keys: [
            FormatKey("latency", .duration, default: "0s", "One-way latency between workers."),
            FormatKey("bandwidth", .bandwidth, default: "100MB/s", "Each link's bandwidth."),
            FormatKey(
                "contention", .boolean, default: "true",
                "Whether transfers from or to one worker share its bandwidth."),
            FormatKey(
                "connect_latency", .duration, default: "0s",
                "What the first transfer from one worker to another adds (opening the connection dask then keeps)."
            ),
            FormatKey(
                "client_latency", .either([.duration, .table(uniformBounds)]), default: "0s",
                "Client ↔ scheduler latency; `{uniform: [low, high]}` adds jitter."),
            FormatKey(
                "worker_latency", .either([.duration, .table(uniformBounds)]), default: "0s",
                "Scheduler ↔ worker latency; `{uniform: [low, high]}` adds jitter."),
            FormatKey("batching", .table(batching), "How long each batched stream holds messages."),
        ])

    public static let batching = KeyTable(
        "batching",
        "dask's batched streams: a message waits at most this long to leave with others; 0s turns batching off.",
        keys: BatchIntervals.directions.map { direction in
            FormatKey(
                direction.name, .duration,
                default: formatDuration(BatchIntervals.dask[keyPath: direction.path]),
                "The \(direction.name.split(separator: "_").joined(separator: " ")) stream's interval."
            )
        })

    public static let scheduler = KeyTable(
        "scheduler", "The scheduling policy and dask's scheduler settings.",
        keys: [
            FormatKey(
                "policy", .text, default: "locality",
                "The policy: \(PolicyRegistry.names.joined(separator: ", ")), or one a program adds."
            ),
            FormatKey(
                "allowed_failures", .integer(minimum: 0, maximum: nil),
                default: "\(SchedulerConfiguration().allowedFailures)",
                "Worker deaths a task may be part of before it errs with KilledWorker."),
            FormatKey(
                "overhead", .duration, default: "0s", "Time the scheduler spends per message."),
            FormatKey(
                "worker_saturation", .positiveNumber(maximum: 1e6, infinite: true),
                default: "\(SchedulerConfiguration().workerSaturation)",
                "Tasks per thread a worker takes before root-ish tasks queue; `inf` never queues."
            ),
            FormatKey(
                "steal_interval", .duration,
                default: formatDuration(SchedulerConfiguration().stealInterval),
                "How often work stealing balances (positive)."),
            FormatKey(
                "bandwidth", .bandwidth, default: "100MB/s",
                "The bandwidth the scheduler weighs transfers at until it learns one."),
            FormatKey(
                "memory_manager", .boolean, default: "true",
                "Whether dask's Active Memory Manager drops replicas nothing needs (ReduceReplicas)."
            ),
            FormatKey(
                "memory_manager_interval", .duration, default: "2s",
                "How often the memory manager runs (positive)."),
            FormatKey(
                "order", .word(StaticOrder.allCases.map(\.rawValue)), default: "submission",
                "How one submission's tasks are ordered: as listed, or by dask's static ordering (dask.order), as dask does."
            ),
            FormatKey(
                "learn_bandwidth", .boolean, default: "true",
                "Whether workers time transfers over 1 MB and heartbeat what they saw, as dask does."
            ),
            FormatKey(
                "unknown_task_duration", .duration,
                default: formatDuration(SchedulerConfiguration().unknownTaskDuration),
                "The duration the scheduler assumes for a task it has not seen run."),
            FormatKey(
                "detection_delay", .duration, default: "0s",
                "How long the scheduler takes to notice a dead worker."),
            FormatKey(
                "bug", .word(PlantedBug.allCases.map(\.rawValue)),
                "A planted bug, for checking that a scenario catches it."),
        ])

    // MARK: Tasks

    public static let task = KeyTable(
        "task", "One task, or a family of `count` alike tasks (`key-0`, `key-1`, …).",
        keys: [
            FormatKey("key", .text, required: true, "Its key (the family's name with `count`)."),
            FormatKey(
                "count", .integer(minimum: 1, maximum: NodeReader.largestFamily),
                "Makes a family of this many alike tasks; the key then names them all."),
            FormatKey("deps", .names, "Tasks (or families) it depends on."),
            FormatKey("duration", durationModel, default: "0s", "How long it runs."),
            FormatKey("output", .size, default: "8", "The size of its result."),
            FormatKey(
                "priority", .integer(minimum: nil, maximum: nil), default: "0", "Higher runs first."
            ),
            FormatKey(
                "retries", .integer(minimum: 0, maximum: 1_000_000), default: "0",
                "Times it is run again after it raises."),
            FormatKey("resources", .resources, "Resources each run holds, like `{GPU: 1}`."),
            FormatKey("workers", .names, "Workers it may run on."),
            FormatKey(
                "allow_other_workers", .boolean, default: "false",
                "Whether `workers` is a preference rather than a restriction."),
            FormatKey(
                "cpu", .boolean, default: "the scenario's `cpu`",
                "Whether a real run spins a CPU rather than sleeping."),
            FormatKey(
                "secede", .duration,
                "After running this long it secedes (dask's `secede()`): its thread takes other work."
            ),
            FormatKey(
                "estimate", .table(estimate),
                "What the scheduler is told up front; without it, it learns as tasks finish."),
        ])

    /// What the scheduler is told of a task before it runs.
    public static let estimate = KeyTable(
        "estimate",
        "The duration and result size the scheduler assumes for a task until it has run, for policies that plan with them (critical-path); they may differ from the task's own.",
        choice: .atLeastOne(["duration", "output"]),
        keys: [
            FormatKey("duration", .duration, "Its expected duration."),
            FormatKey("output", .size, "Its expected result size."),
        ])

    /// A duration, or a distribution to draw each run's duration from.
    static let durationModel = ValueShape.either([.duration, .table(distribution)])

    public static let distribution = KeyTable(
        "distribution", "A distribution a task's duration is drawn from, once per run.",
        choice: .exactlyOne(["fixed", "uniform", "normal", "lognormal", "exponential"]),
        keys: [
            FormatKey("fixed", .duration, "Always this long."),
            FormatKey("uniform", .list(.duration), "`[low, high]`."),
            FormatKey("normal", .table(normal), "Mean and standard deviation (cut at 0)."),
            FormatKey("lognormal", .table(lognormal), "Of seconds: exp of a normal draw."),
            FormatKey("exponential", .duration, "Its mean."),
        ])

    public static let normal = KeyTable(
        "normal", "A normal distribution of durations.",
        keys: [
            FormatKey("mean", .duration, required: true, "Its mean."),
            FormatKey("sd", .duration, required: true, "Its standard deviation."),
        ])

    public static let lognormal = KeyTable(
        "lognormal", "A log-normal distribution of durations in seconds.",
        keys: [
            FormatKey(
                "mu", .number(minimum: nil, maximum: nil, infinite: false), required: true,
                "The mean of the log."),
            FormatKey(
                "sigma", .number(minimum: 0, maximum: nil, infinite: false), required: true,
                "The deviation of the log (≥ 0)."),
        ])

    /// `{uniform: [low, high]}`: a time drawn once per run.
    public static let uniformBounds = KeyTable(
        "uniform_bounds", "A time drawn uniformly once per run.",
        keys: [FormatKey("uniform", .list(.duration), required: true, "`[low, high]`.")])

    public static let generator = KeyTable(
        "generator", "A graph made by one generator; its tasks form a family named by `prefix`.",
        choice: .exactlyOne(generators.map(\.name)),
        keys: generators.map { FormatKey($0.name, .table($0), $0.summary) })

    /// Each generator's settings, by the generator's name.
    public static let generators: [KeyTable] = {
        let common = [
            FormatKey(
                "prefix", .text, default: "the generator's name",
                "The family's name and key prefix."),
            FormatKey("duration", durationModel, default: "0s", "Each task's duration."),
            FormatKey("output", .size, default: "8", "Each task's result size."),
        ]
        let count = ValueShape.integer(minimum: 1, maximum: NodeReader.largestFamily)
        return [
            KeyTable(
                "chain", "`length` tasks, each depending on the one before.",
                keys: common + [FormatKey("length", count, required: true, "Tasks in the chain.")]),
            KeyTable(
                "fan_out_fan_in", "A source, `width` tasks on it, and a sink on them all.",
                keys: common + [FormatKey("width", count, required: true, "Tasks in the middle.")]),
            KeyTable(
                "tree_reduction", "`leaves` tasks reduced `fan_in` at a time to one.",
                keys: common + [
                    FormatKey("leaves", count, required: true, "Tasks at the bottom."),
                    FormatKey(
                        "fan_in", .integer(minimum: 2, maximum: nil), default: "2",
                        "Inputs of each reducing task."),
                ]),
            KeyTable(
                "map_shuffle_reduce", "`maps` tasks, then `reduces` tasks each needing every map.",
                keys: common + [
                    FormatKey("maps", count, required: true, "Map tasks."),
                    FormatKey(
                        "reduces", count, required: true, "Reduce tasks (maps × reduces ≤ 10^7)."),
                ]),
            KeyTable(
                "random_dag", "`size` tasks in layers of `width`, with random edges backwards.",
                keys: common + [
                    FormatKey("size", count, required: true, "Tasks."),
                    FormatKey(
                        "width", .integer(minimum: 1, maximum: nil), default: "size / 10",
                        "Tasks per layer."),
                    FormatKey(
                        "density", .number(minimum: 0, maximum: 1, infinite: false),
                        default: "0.2", "How likely each edge to the two layers before is."),
                    FormatKey(
                        "seed", .integer(minimum: 0, maximum: nil), default: "1",
                        "The seed the edges are drawn with."),
                ]),
        ]
    }()

    // MARK: Client

    /// The client's verbs, one per action.
    static let clientVerbs = ["submit", "cancel", "release", "wait", "gather", "scatter"]

    public static let clientAction = KeyTable(
        "client_action",
        "One thing the client does; it starts at `at` or when the action before it returns.",
        choice: .exactlyOne(clientVerbs),
        keys: [
            FormatKey("at", .duration, default: "0s", "When it starts."),
            FormatKey(
                "force", .boolean, default: "false",
                "With cancel: cancel even if other futures need it."),
            FormatKey(
                "timeout", .duration,
                "With wait or gather: how long to wait; forever when left out."),
            FormatKey(
                "return_when", .word(["all_completed", "first_completed"]),
                default: "all_completed", "With wait: when it returns."),
            FormatKey(
                "name", .text, default: "wait-N or gather-N",
                "With wait or gather: a name for expectations."),
            FormatKey("size", .size, default: "8", "With scatter: the size of each datum."),
            FormatKey("workers", .names, "With scatter: the workers to place it on."),
            FormatKey("submit", .names, "Submits these tasks (`all`: every task)."),
            FormatKey("cancel", .names, "Cancels their futures."),
            FormatKey("release", .names, "Drops the client's references to them."),
            FormatKey("wait", .names, "Blocks until their futures are done."),
            FormatKey("gather", .names, "Waits for all of them and fetches their results."),
            FormatKey("scatter", .names, "Places these data on workers (they are not tasks)."),
        ])

    // MARK: Faults

    /// Each fault's key, the one that says what the fault is.
    static let faultKinds = [
        "kill", "add", "slow", "fail", "fail_probability", "partition", "delay", "hold",
    ]

    public static let fault = KeyTable(
        "fault", "One thing that goes wrong.", choice: .exactlyOne(faultKinds),
        keys: [
            FormatKey(
                "at", .either([.duration, .table(uniformBounds)]), default: "0s",
                "When it happens; `{uniform: [low, high]}` draws the time per run."),
            FormatKey("kill", .text, "Kills this worker."),
            FormatKey("add", .table(worker), "Adds this worker."),
            FormatKey("slow", .text, "Slows this worker by `factor` for `for`."),
            FormatKey(
                "factor", .positiveNumber(maximum: nil, infinite: false),
                "With slow: how many times slower (positive)."),
            FormatKey("for", .duration, "With slow, partition and delay: how long it lasts."),
            FormatKey("fail", .text, "Makes this task (or family) raise."),
            FormatKey(
                "attempts",
                .either([
                    .integer(minimum: 1, maximum: nil), .list(.integer(minimum: 1, maximum: nil)),
                ]),
                default: "1", "With fail: the first N attempts, or the attempts listed."),
            FormatKey(
                "error", .text, default: "InjectedError",
                "With fail or fail_probability: the error's name."),
            FormatKey(
                "fail_probability", .number(minimum: 0, maximum: 1, infinite: false),
                "Makes every attempt raise with this probability."),
            FormatKey("partition", .namePair, "Cuts the link between two endpoints for `for`."),
            FormatKey(
                "delay", .namePair, "Delays messages between two endpoints by `by` for `for`."),
            FormatKey("by", .duration, "With delay and hold: how long."),
            FormatKey("hold", .table(hold), "Holds back messages that match, by `by`, from `at`."),
            FormatKey(
                "all", .boolean, default: "false", "With hold: every match, not only the first."),
        ])

    public static let hold = KeyTable(
        "hold", "Which messages a hold delays.",
        keys: [
            FormatKey(
                "message", .word(holdableMessages.map(\.wireName)), required: true,
                "The kind of message, by dask's name."),
            FormatKey("from", .text, "Its sender: client, scheduler or a worker."),
            FormatKey("to", .text, "Its receiver: client, scheduler or a worker."),
            FormatKey(
                "key", .text,
                "The task it is about (only for messages that name tasks: not worker joins, removals, pauses or remove-worker)."
            ),
        ])

    /// The messages a hold may name (not the simulation's own clock and outcome events).
    static var holdableMessages: [MessageKind] {
        MessageKind.allCases.filter { ![.tick, .executionOutcome].contains($0) }
    }

    // MARK: Expectations

    /// The expectations' keys, the one that says which it is.
    static let expectationKinds =
        [
            "future", "makespan", "no_duplicate_execution", "no_invariant_violations",
            "completes", "finishes_before", "wait", "occurs", "never",
        ] + Expectation.Counter.allCases.map(\.rawValue)

    /// The statuses a `future:` expectation may name.
    static let futureStatuses = [
        "finished", "error", "cancelled", "lost", "pending", "running", "released",
    ]

    /// One expectation, or `sometimes:` with one inside.
    public static let expectation = KeyTable(
        "expectation", "One thing that must hold at the end of a run.",
        choice: .exactlyOne(expectationKinds + ["sometimes"]),
        keys: expectationKeys + [
            FormatKey(
                "sometimes", .table(plainExpectation),
                "Holds in at least one seed of a sweep (a single run does not fail on it).")
        ])

    /// An expectation inside `sometimes:`.
    public static let plainExpectation = KeyTable(
        "plain_expectation", "One thing that must hold at the end of a run.",
        choice: .exactlyOne(expectationKinds), keys: expectationKeys)

    private static let expectationKeys =
        [
            FormatKey("future", .text, "This task's (or family's) futures end in `status`."),
            FormatKey("status", .word(futureStatuses), "With future: the status."),
            FormatKey(
                "error", .text,
                "With status: error: the kind of error every one of them erred with (KilledWorker, an injected failure's name, …)."
            ),
            FormatKey("makespan", .table(makespan), "The makespan lies within bounds."),
            FormatKey(
                "no_duplicate_execution", .trueOnly,
                "No task finished more often than it was lost."),
            FormatKey(
                "no_invariant_violations", .trueOnly,
                "The scheduler's invariants held throughout."),
            FormatKey("completes", .trueOnly, "Nothing that could run was left unfinished."),
            FormatKey(
                "finishes_before", .namePair,
                "The first task's last finish comes before the second's."),
            FormatKey("wait", .text, "The client wait or gather of this name…"),
            FormatKey("timed_out", .boolean, "With wait: …timed out (or did not)."),
            FormatKey(
                "occurs", .table(traceMatch),
                "Trace records like these happen (at least once, or as `count`, `at_least`, `at_most` say)."
            ),
            FormatKey("never", .table(traceMatch), "No trace record like these happens."),
            FormatKey(
                "after", .table(traceMatch),
                "With occurs: the first match comes after the first record like these."),
            FormatKey(
                "count", .integer(minimum: 0, maximum: nil), "With occurs: exactly this many."),
            FormatKey(
                "at_least", .integer(minimum: 0, maximum: nil), "With occurs: at least this many."),
            FormatKey(
                "at_most", .integer(minimum: 0, maximum: nil), "With occurs: at most this many."),
        ]
        + Expectation.Counter.allCases.map {
            FormatKey(
                $0.rawValue, .table(countBounds),
                "Bounds on the \($0.rawValue.split(separator: "_").joined(separator: " ")) the run counts."
            )
        }

    /// Which trace records an `occurs:`, `never:` or `after:` means.
    public static let traceMatch = KeyTable(
        "trace_match",
        "Trace records, by the fields trace.jsonl gives them; each field given must agree.",
        choice: .atLeastOne(["kind", "task", "worker", "message", "from", "to", "state"]),
        keys: [
            FormatKey("kind", .word(TraceKind.entryKinds.map(\.description)), "The record's kind."),
            FormatKey(
                "task", .text,
                "The task (or any task of the family) it is about, or one a message names."),
            FormatKey(
                "worker", .text, "The worker it happened on, or a message came from or went to."),
            FormatKey(
                "message", .word(MessageKind.allCases.map(\.wireName)),
                "For delivered and client-sent records: the message, by dask's name."),
            FormatKey(
                "from", .text,
                "Its `from` field: a state left, a note (steal-stale-response, …), a future's status, a fault's kind, ok or failed; a message's sender (scheduler, client, a worker)."
            ),
            FormatKey(
                "to", .text, "Its `to` field: a state entered, or a message's receiver."),
            FormatKey(
                "state", .word(WorkerTaskReport.answerNames),
                "For a delivered steal-response: the task's state the victim answered."),
        ])

    public static let makespan = KeyTable(
        "makespan", "Bounds on the makespan.", choice: .atLeastOne(["below", "above"]),
        keys: [
            FormatKey("below", .duration, "It is at most this."),
            FormatKey("above", .duration, "It is at least this."),
            FormatKey(
                "real_slack", .duration, default: "0s",
                "In a real run, the bounds widen by this much wall-clock time."),
        ])

    public static let countBounds = KeyTable(
        "count_bounds", "Bounds on a count.",
        choice: .atLeastOne(["at_least", "at_most", "equals"]),
        keys: [
            FormatKey("at_least", .integer(minimum: 0, maximum: nil), "At least this many."),
            FormatKey("at_most", .integer(minimum: 0, maximum: nil), "At most this many."),
            FormatKey("equals", .integer(minimum: 0, maximum: nil), "Exactly this many."),
            FormatKey(
                "of", .text,
                "Count only what concerns this task or family (executions, retries, transfers and steals)."
            ),
        ])

    /// Every table, each once, outermost first.
    public static var tables: [KeyTable] {
        [
            scenario, cluster, workerFamily, worker, network, batching, uniformBounds, scheduler,
            task, estimate, distribution, normal, lognormal, generator,
        ] + generators + [
            clientAction, fault, hold, expectation, plainExpectation, traceMatch, makespan,
            countBounds,
        ]
    }
}
