import ArgumentParser
import Foundation
import Reports
import Scenarios

extension OrreryCommand {
    struct Explore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario under many seeds and report the failing ones.",
            discussion: """
                Failures are grouped by what failed, with the first failing seed of each group and \
                the command that replays it. Every failing seed runs twice; a second run with \
                another trace hash is reported as a determinism bug. --shard I/N runs every N-th \
                seed starting with the I-th, so N machines cover the range once with no \
                coordinator; --merge combines their JSON outputs. Seeds other than the file's \
                are perturbed: same-time events in a seeded order, message latencies drawn \
                within their bounds; --swarm also switches a random subset of the fault kinds \
                on per seed. Exit status 1 if any seed failed, or a sometimes: expectation \
                held in none.
                """)

        @Argument(help: "The scenario file (YAML).")
        var scenario: String?

        @Option(help: "How many seeds.")
        var seeds: Int?

        @Option(
            parsing: .upToNextOption,
            help: "Combine the --format json outputs of a sweep's shards instead of running.")
        var merge: [String] = []

        @OptionGroup var choices: RunChoices

        @Option(
            help:
                "When to check the machines' invariants: every-event (a violation stops the run where it happens) or end (faster)."
        )
        var invariants: InvariantChecks = .everyEvent

        @Option(
            parsing: .unconditional, help: "The first seed (default: the file's seed).",
            transform: seedArgument)
        var from: UInt64?

        @Option(help: "Threads running seeds at once (default: the number of cores).")
        var jobs: Int?

        @Option(help: "Run only slice I of N of the seeds, like 2/8.")
        var shard: Shard = Shard(argument: "1/1")!

        @Option(help: "text or json (one line per failing seed, then a summary line).")
        var format: Run.Format = .text

        @Option(
            help:
                "Write a JUnit XML file: a test case per kind of failure, determinism bug and sometimes: expectation."
        )
        var junit: String?

        struct Shard: ExpressibleByArgument {
            var index: Int
            var count: Int

            init?(argument: String) {
                let parts = argument.split(separator: "/")
                guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1])
                else { return nil }
                self.index = index
                self.count = count
            }

            var defaultValueDescription: String { "\(index)/\(count)" }
        }

        func validate() throws {
            if !merge.isEmpty {
                guard scenario == nil, seeds == nil else {
                    throw ValidationError("--merge takes shard outputs, not a scenario or --seeds")
                }
                return
            }
            guard scenario != nil else { throw ValidationError("give a scenario file") }
            guard let seeds, seeds >= 1 else {
                throw ValidationError("--seeds must be given, at least 1")
            }
            guard jobs ?? 1 >= 1 else { throw ValidationError("--jobs must be at least 1") }
            guard shard.count >= 1, (1...shard.count).contains(shard.index) else {
                throw ValidationError(
                    "--shard I/N needs 1 ≤ I ≤ N, got \(shard.index)/\(shard.count)"
                )
            }
        }

        func run() throws {
            try checkOutputs(report: nil, junit: junit)
            let exploration = merge.isEmpty ? try sweep() : try merged()
            if let junit {
                do {
                    try ReportWriter.writeAtomically(
                        JUnitRenderer.xml(exploration),
                        to: URL(fileURLWithPath: junit))
                } catch let error as ReportError {
                    throw failure(error.description)
                }
            }
            switch format {
            case .json:
                try exploration.jsonLines(
                    shard: merge.isEmpty ? "\(shard.index)/\(shard.count)" : "merged"
                )
                .forEach { print($0) }
            case .text: printText(exploration)
            }
            if exploration.failed { throw ExitCode(1) }
        }

        private func merged() throws -> Exploration {
            var files: [(String, String)] = []
            for path in merge {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw failure("\(path): error: cannot read the file")
                }
                files.append((path, String(decoding: data, as: UTF8.self)))
            }
            do {
                return try Exploration.merge(files)
            } catch {
                throw failure(error.description)
            }
        }

        private func sweep() throws -> Exploration {
            let file = choices.apply(to: try loadAll([scenario!])[0])
            let list = Exploration.seeds(
                from: from ?? file.seed, total: seeds!, shard: shard.index, of: shard.count)
            let terminal = isatty(STDERR_FILENO) == 1 && format == .text
            let total = list.count
            let clock = ContinuousClock()
            let start = clock.now
            let exploration = Exploration.run(
                file, seeds: list, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                policy: choices.policy,
                policies: OrreryCommand.policies, pct: choices.pct, swarm: choices.swarm,
                invariants: invariants,
                bugChosen: choices.bug != nil
            ) { done, failed in
                guard terminal, done % 50 == 0 || done == total else { return }
                let rate = Double(done) / max(start.duration(to: clock.now).seconds, 1e-3)
                FileHandle.standardError.write(
                    Data(
                        "\r  \(done)/\(total) seeds  \(Int(rate)) seeds/s  \(failed) failing ".utf8)
                )
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            return exploration
        }

        private func printText(_ exploration: Exploration) {
            let rate = Double(exploration.seedsRun) / max(exploration.wallSeconds, 1e-9)
            print(
                "\(exploration.scenario): \(exploration.seedsRun) seeds, \(exploration.failures.count) failing, \(Int(rate)) seeds/s"
                    + (shard.count > 1 ? ", shard \(shard.index)/\(shard.count)" : ""))
            for group in exploration.groups {
                print("  \(group.count)× \(group.signature)")
                print("     first: seed \(group.first.seed)   replay: \(group.first.replay)")
            }
            for seed in exploration.determinismBugs {
                print("  ✗ determinism bug: seed \(seed) gave two different traces")
            }
            for sometimes in exploration.sometimes {
                print(
                    sometimes.seeds > 0
                        ? "  ~ \(sometimes.expectation): held in \(sometimes.seeds) of \(exploration.seedsRun) seeds"
                        : "  ✗ \(sometimes.expectation): held in no seed")
            }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one seed of a scenario again, bit for bit (same trace hash).")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(parsing: .unconditional, help: "The seed to replay.", transform: seedArgument)
        var seed: UInt64

        @OptionGroup var choices: RunChoices

        @Flag(help: "Print the trace, one event a line.")
        var trace = false

        @Option(help: "Also write the run's report into this folder.")
        var report: String?

        func run() throws {
            try checkOutputs(report: report)
            let file = choices.apply(to: try loadAll([scenario])[0])
            let (simulated, simulation) = ScenarioRunner.simulate(
                file, seed: seed, policy: choices.policy, policies: OrreryCommand.policies,
                perturbation: .implied(by: seed, of: file, pct: choices.pct), swarm: choices.swarm)
            let result = choices.noted(simulated)
            print(textReport(result))
            if trace { simulation.traceLines().forEach { print($0) } }
            if let report {
                let record = RunRecord(
                    result: result, cluster: simulation, finalStates: result.finalStates)
                print(
                    "      report: \(try writeReport(record, to: ReportWriter.folder(for: record.header, in: report, filePolicy: file.policy)).path)"
                )
            }
            if !result.passed { throw ExitCode(1) }
        }
    }
}

extension InvariantChecks: ExpressibleByArgument {}
