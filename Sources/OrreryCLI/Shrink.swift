import ArgumentParser
import Foundation
import Reports
import Scenarios

extension OrreryCommand {
    struct Shrink: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a failing scenario smaller while it fails the same way.",
            discussion: """
                Tries removing faults, client actions, expectations the failure does not \
                involve, tasks, workers and threads, and fixing drawn durations at their mean; \
                keeps each cut after which the seed still fails with the same signature, and \
                writes the smallest scenario found, named <name>-seed<N>-min so its reports \
                stand apart from the original's. It never writes over the input.
                """)

        @Argument(help: "The failing scenario file (YAML).")
        var scenario: String

        @Option(parsing: .unconditional, help: "The failing seed.", transform: seedArgument)
        var seed: UInt64

        @Option(
            name: .shortAndLong,
            help: "Where to write it (default: shrunk/<file>-seed<N>-min.yaml beside the input).")
        var output: String?

        @Flag(help: "Replace the output file if it exists.")
        var force = false

        @OptionGroup var choices: RunChoices

        func run() throws {
            let file = choices.apply(to: try loadAll([scenario])[0])
            let input = URL(fileURLWithPath: scenario).standardizedFileURL
            let base = input.deletingPathExtension().lastPathComponent
            let target: URL
            if let output {
                target = URL(fileURLWithPath: output).standardizedFileURL
            } else {
                // A folder of its own beside the input, so `scenarios/*.yaml` globs (`make
                // run`) do not pick shrunk copies up as scenarios.
                let folder = input.deletingLastPathComponent().appendingPathComponent("shrunk")
                if let problem = ReportWriter.checkFolder(folder.path) { throw failure(problem) }
                target = folder.appendingPathComponent("\(base)-seed\(seed)-min.yaml")
            }
            guard !sameFile(target.path, input.path) else {
                throw failure("\(target.path): error: shrink never writes over its input")
            }
            if let problem = ReportWriter.checkFile(target.path) { throw failure(problem) }
            if FileManager.default.fileExists(atPath: target.path), !force {
                throw failure("\(target.path): error: the file exists; pass --force to replace it")
            }
            let outcome: Shrinker.Outcome
            do {
                outcome = try Shrinker.shrink(
                    file, seed: seed, policy: choices.policy, policies: OrreryCommand.policies,
                    swarm: choices.swarm, pct: choices.pct)
            } catch {
                throw failure("\(scenario): error: \(error.description)")
            }
            var shrunk = outcome.scenario
            shrunk.name = "\(file.name)-seed\(seed)-min"
            do {
                try ReportWriter.writeAtomically(ScenarioWriter.yaml(shrunk), to: target)
            } catch let error as ReportError {
                throw failure(error.description)
            }
            print("failure kept: \(outcome.signature)")
            print("before: \(outcome.before)")
            print("after:  \(outcome.after)   (\(outcome.runs) candidates tried)")
            print("wrote \(target.path)")
            print(
                "replay: orrery replay \(target.path) --seed \(seed)"
                    + (choices.policy.map { " --policy \($0)" } ?? "")
                    + (choices.swarm ? " --swarm" : ""))
        }
    }
}
