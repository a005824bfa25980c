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
                coordinator. Exit status 1 if any seed failed.
                """)

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "How many seeds.")
        var seeds: Int

        @Option(help: "The first seed (default: the file's seed).")
        var from: UInt64?

        @Option(help: "Threads running seeds at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Run only slice I of N of the seeds, like 2/8.")
        var shard: Shard = Shard(argument: "1/1")!

        @Option(help: "The policy for every seed, overriding the file's.")
        var policy: String?

        @Option(help: "text or json (one line per failing seed, then a summary line).")
        var format: Run.Format = .text

        struct Shard: ExpressibleByArgument {
            var index: Int
            var count: Int

            init?(argument: String) {
                let parts = argument.split(separator: "/")
                guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
                    count >= 1, (1...count).contains(index)
                else { return nil }
                self.index = index
                self.count = count
            }
        }

        func validate() throws {
            guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            if let policy { try OrreryCommand.checkPolicies([policy]) }
        }

        func run() throws {
            let file = try loadAll([scenario])[0]
            let list = Exploration.seeds(
                from: from ?? file.seed, total: seeds, shard: shard.index, of: shard.count)
            let terminal = isatty(STDERR_FILENO) == 1 && format == .text
            let total = list.count
            let clock = ContinuousClock()
            let start = clock.now
            let exploration = Exploration.run(
                file, seeds: list, jobs: jobs, policy: policy, policies: OrreryCommand.policies
            ) { done, failed in
                guard terminal, done % 50 == 0 || done == total else { return }
                let elapsed = Double(start.duration(to: clock.now).components.seconds) + 1e-9
                let rate = Double(done) / max(elapsed, 1e-3)
                FileHandle.standardError.write(
                    Data(
                        "\r  \(done)/\(total) seeds  \(Int(rate)) seeds/s  \(failed) failing ".utf8)
                )
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            switch format {
            case .json: try printJSON(exploration)
            case .text: printText(exploration)
            }
            if !exploration.failures.isEmpty || !exploration.determinismBugs.isEmpty {
                throw ExitCode(1)
            }
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
        }

        private func printJSON(_ exploration: Exploration) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for failure in exploration.failures {
                print(String(decoding: try encoder.encode(failure), as: UTF8.self))
            }
            struct Summary: Encodable {
                var scenario: String
                var seeds: Int
                var failures: Int
                var groups: [String: Int]
                var determinismBugs: [UInt64]
                var seedsPerSecond: Double
                var shard: String
                enum CodingKeys: String, CodingKey {
                    case scenario, seeds, failures, groups, shard
                    case determinismBugs = "determinism_bugs"
                    case seedsPerSecond = "seeds_per_s"
                }
            }
            var groups: [String: Int] = [:]
            for group in exploration.groups { groups[group.signature] = group.count }
            let summary = Summary(
                scenario: exploration.scenario, seeds: exploration.seedsRun,
                failures: exploration.failures.count,
                groups: groups, determinismBugs: exploration.determinismBugs,
                seedsPerSecond: Double(exploration.seedsRun) / max(exploration.wallSeconds, 1e-9),
                shard: "\(shard.index)/\(shard.count)")
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one seed of a scenario again, bit for bit (same trace hash).")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "The seed to replay.")
        var seed: UInt64

        @Option(help: "The policy the failing run used, if not the file's.")
        var policy: String?

        @Flag(help: "Print the trace, one event a line.")
        var trace = false

        @Option(help: "Also write the run's report into this folder.")
        var report: String?

        func validate() throws {
            if let policy { try OrreryCommand.checkPolicies([policy]) }
        }

        func run() throws {
            let file = try loadAll([scenario])[0]
            let (result, simulation) = ScenarioRunner.simulate(
                file, seed: seed, policy: policy, policies: OrreryCommand.policies)
            print(textReport(result))
            if trace { simulation.traceLines().forEach { print($0) } }
            if let report {
                let record = RunRecord(
                    result: result, cluster: simulation, finalStates: result.finalStates)
                print(
                    "      report: \(try writeReport(record, to: ReportWriter.folder(for: record.header, in: report)).path)"
                )
            }
            if !result.passed { throw ExitCode(1) }
        }
    }
}
