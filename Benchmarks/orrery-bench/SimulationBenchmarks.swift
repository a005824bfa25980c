import Cluster
import HeapModule
import Scheduling
import Simulation

#if canImport(Glibc)
    import Glibc
#endif

/// End-to-end simulated throughput: client → scheduler → virtual workers → futures. The two
/// workloads are two groups, each run in its own process by `make bench`: a peak-memory figure
/// measured after another workload in one process depended on where that one's memory was
/// left (the random DAG's moved by a tenth with the placement of one small allocation).
enum SimulationBenchmarks {
    /// A million independent tasks, beside the scheduler alone, the machines alone, and the
    /// floor the machines and the client alone make.
    static func run() -> [Figure] {
        measure(
            "1M independent tasks, 1000 workers", independent,
            schedulerRate: SchedulerAlone.independentRate(
                name: "job", count: 1_000_000, workers: 1000),
            machinesRate: MachinesAlone.independentRate(count: 1_000_000, workers: 1000),
            clientRate: { ClientAlone.independentRate(count: 1_000_000) })
    }

    /// The random DAG.
    static func runDAG() -> [Figure] {
        measure("100k-task random DAG, 100 workers", randomDAG)
    }

    /// Runs `build` three times and gives its figures beside the heap at as many events a task
    /// and beside the rates given: the rate of the fastest run, as every other figure is a
    /// best of several (one run of a million tasks moved by more than half between runs of
    /// the same binary), and the peak memory of the first, measured from a clean start. With
    /// the machines' and the client's rates alone, also their sum's (a task costs the
    /// machines' time plus the client's): the most any backend could reach. The client's is
    /// measured last: its million futures, made and freed before the simulation, left the
    /// allocator so that the simulation's peak read 2 % higher.
    private static func measure(
        _ name: String, _ build: () -> (SimulatedCluster, Int), schedulerRate: Double? = nil,
        machinesRate: Double? = nil, clientRate: (() -> Double)? = nil
    ) -> [Figure] {
        var figures: [Figure] = []
        // What the previous measurement freed goes back to the system first, else the
        // next one reuses it unseen.
        returnFreedMemory()
        resetPeakResident()
        let before = residentBytes(field: "VmRSS:")
        let clock = ContinuousClock()
        var tasks = 0
        var cluster: SimulatedCluster?
        let elapsed = clock.measure {
            let (simulation, count) = build()
            tasks = count
            cluster = simulation
        }
        let peak = residentBytes(field: "VmHWM:")
        precondition(cluster?.failure == nil, "\(name): \(cluster!.failure!)")
        var fastest = elapsed
        for _ in 1..<3 {
            // Kept until timed, so that its memory is freed outside the timing, as the
            // first run's is.
            var again: SimulatedCluster?
            fastest = min(fastest, clock.measure { again = build().0 })
            precondition(again?.failure == nil, "\(name): \(again!.failure!)")
        }
        let rate = Double(tasks) / seconds(fastest)
        let eventsPerTask = Int(
            (Double(cluster!.eventsProcessed) / Double(tasks)).rounded())
        let heapRate = heapBaseline(eventsPerTask: eventsPerTask)
        // The simulation's rate beside one of its baselines.
        func figure(beside baselineName: String, _ baseline: Double) -> Figure {
            Figure(
                name: "simulated tasks/s, \(name)", unit: "tasks/s", value: rate,
                baselineName: baselineName, baseline: baseline)
        }
        figures.append(figure(beside: "heap push+pop, \(eventsPerTask) events a task", heapRate))
        if let schedulerRate {
            figures.append(figure(beside: "scheduler alone, same tasks", schedulerRate))
            // The scheduler alone's cost in the unit its target is set in: heap push+pop
            // pairs, timed in this run.
            figures.append(
                Figure(
                    name: "  scheduler alone, cost a task", unit: "heap pairs",
                    value: heapRate * Double(eventsPerTask) / schedulerRate,
                    baselineName: "target: at most", baseline: 3, digits: 2))
        }
        if let machinesRate {
            figures.append(figure(beside: "scheduler and workers' machines alone", machinesRate))
            if let clientRate = clientRate?() {
                figures.append(
                    Figure(
                        name: "  client alone, same tasks", unit: "tasks/s", value: clientRate,
                        baselineName: "machines alone", baseline: machinesRate))
                let floor = 1 / (1 / machinesRate + 1 / clientRate)
                figures.append(figure(beside: "machines alone + client alone", floor))
                // What a backend that cost nothing would read against the heap, in the unit
                // of the simulation's target (×0.5).
                figures.append(
                    Figure(
                        name: "  machines + client alone, of the heap", unit: "×",
                        value: floor / heapRate, baselineName: "the simulation's target",
                        baseline: 0.5, digits: 2))
            }
        }
        figures.append(
            Figure(
                name: "  peak memory per task", unit: "bytes",
                value: Double(peak - before) / Double(tasks),
                baselineName: "(peak RSS − RSS before) / tasks", baseline: 0))
        withExtendedLifetime(cluster) {}
        return figures
    }

    static func configuration(seed: UInt64) -> SimulationConfiguration {
        SimulationConfiguration(
            seed: seed, policy: "locality", checksInvariants: false, keepsTrace: false)
    }

    static func independent() -> (SimulatedCluster, Int) {
        independent(count: 1_000_000)
    }

    static func independent(count: Int) -> (SimulatedCluster, Int) {
        let simulation = SimulatedCluster(
            configuration: configuration(seed: 1),
            workers: (0..<1000).map { WorkerSetup(name: "w\($0)") })
        let futures = submitIndependent(count, to: Client(simulation))
        simulation.runToQuiescence()
        precondition(futures.allSatisfy { $0.status == .finished })
        return (simulation, count)
    }

    /// The million-task figure's tasks, sent by `client` as one `map`: independent no-ops of a
    /// fixed millisecond.
    static func submitIndependent(_ count: Int, to client: Client) -> [ClientFuture<Int>] {
        client.map(
            "job", Array(0..<count),
            options: TaskOptions(model: WorkModel(duration: .fixed(1_000_000)))
        ) { $0 }
    }

    static func randomDAG() -> (SimulatedCluster, Int) {
        let count = 100_000
        let simulation = SimulatedCluster(
            configuration: configuration(seed: 2),
            workers: (0..<100).map { WorkerSetup(name: "w\($0)", threads: 2) })
        let client = Client(simulation)
        var random = SeededGenerator(seed: 9)
        var futures: [ClientFuture<Int>] = []
        futures.reserveCapacity(count)
        let options = TaskOptions(
            model: WorkModel(duration: .exponential(mean: 10_000_000), outputSize: 1_000_000))
        for index in 0..<count {
            let future: ClientFuture<Int>
            if index < 100 || random.next() % 4 == 0 {
                future = client.submit("root", index, options: options) { $0 }
            } else {
                let a = futures[Int(random.next() % UInt64(index))]
                let b = futures[Int(random.next() % UInt64(index))]
                future = client.submit("node", a, b, index, options: options) { $0 &+ $1 &+ $2 }
            }
            futures.append(future)
        }
        simulation.runToQuiescence()
        precondition(futures.allSatisfy { $0.status == .finished })
        return (simulation, count)
    }

    /// The event queue alone, in tasks a second: a million tasks' worth of pushes and pops,
    /// `eventsPerTask` of each a task (a simulated run's events per task, rounded).
    static func heapBaseline(eventsPerTask: Int) -> Double {
        let tasks = 1_000_000
        let events = tasks * eventsPerTask
        return bestRate(operations: tasks, repetitions: 3) {
            var heap = Heap<Int>()
            var sum = 0
            for index in 0..<events {
                heap.insert(index &* 7919 % 1_000_003)
                if index % 2 == 1 { sum &+= heap.removeMin() }
            }
            while let value = heap.popMin() { sum &+= value }
            keep(sum)
        }
    }

    /// glibc's `malloc_trim(0)` (not in the Glibc module): gives freed heap pages back.
    static func returnFreedMemory() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else {
            return
        }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Starts the peak-resident figure (VmHWM) again from the current size, so one
    /// measurement's peak is not an earlier one's.
    static func resetPeakResident() {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", file)
        fclose(file)
    }

    /// A field of /proc/self/status, in bytes.
    static func residentBytes(field: String) -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self)
            if text.hasPrefix(field) {
                let digits = text.filter(\.isNumber)
                return (Int(digits) ?? 0) * 1024
            }
        }
        return 0
    }
}
