import ArgumentParser
import Foundation
import Reports

extension OrreryCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two saved runs (sim/sim, policy A vs B, before vs after).",
            discussion: """
                RUN_A and RUN_B are report folders written by `orrery run --report`. Writes \
                compare.md, compare.json and compare.html (both timelines on one axis) and prints \
                the Markdown. Comparing a scenario's simulation with a real run needs the thread \
                executor, which is not built yet.
                """)

        @Argument(help: "The first run's report folder.")
        var runA: String

        @Argument(help: "The second run's report folder.")
        var runB: String

        @Option(
            name: .shortAndLong,
            help: "Folder for the comparison (default: reports/compare/<A>-vs-<B>).")
        var output: String?

        func validate() throws {
            for path in [runA, runB] where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                throw ValidationError(
                    "\(path) is a scenario; --sim-vs-real needs the thread executor, which is not built yet. Compare two report folders instead."
                )
            }
        }

        func run() throws {
            let first = try load(runA)
            let second = try load(runB)
            let comparison = Comparison(first, second)
            let name =
                "\(first.header.scenario)-\(first.header.mode)-\(first.header.policy)-seed\(first.header.seed)-vs-\(second.header.scenario)-\(second.header.mode)-\(second.header.policy)-seed\(second.header.seed)"
            let folder = URL(fileURLWithPath: output ?? "reports/compare/\(name)")
            do {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
                let markdown = ComparisonRenderer.markdown(comparison)
                try ReportWriter.writeAtomically(
                    markdown, to: folder.appendingPathComponent("compare.md"))
                try ReportWriter.writeAtomically(
                    try ComparisonRenderer.json(comparison),
                    to: folder.appendingPathComponent("compare.json"))
                try ReportWriter.writeAtomically(
                    ComparisonRenderer.html(comparison, first, second),
                    to: folder.appendingPathComponent("compare.html"))
                print(markdown, terminator: "")
                print("\ncomparison: \(folder.appendingPathComponent("compare.html").path)")
            } catch let error as ReportError {
                throw failure(error.description)
            }
        }

        private func load(_ folder: String) throws -> RunRecord {
            let path = URL(fileURLWithPath: folder).appendingPathComponent("trace.jsonl").path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw failure(
                    "\(path): error: cannot read the trace (is \(folder) a report folder?)")
            }
            do {
                return try RunRecord(jsonLines: String(decoding: data, as: UTF8.self), file: path)
            } catch let error as ReportError {
                throw failure(error.description)
            }
        }
    }
}
