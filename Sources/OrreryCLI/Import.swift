import ArgumentParser
import Foundation
import Reports
import Scenarios

extension OrreryCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a workflow trace into a scenario.",
            subcommands: [WfCommons.self])

        struct WfCommons: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "wfcommons",
                abstract: "Import a WfCommons (WfFormat 1.4/1.5) workflow trace.",
                discussion: """
                    Tasks keep their recorded runtimes, dependencies come from parents, outputs \
                    from file sizes; the cluster is the recorded machines unless --workers or \
                    --threads say otherwise. The scenario expects every task to finish no sooner \
                    than the critical path or the total work over the slots allow.
                    """)

            @Argument(help: "The WfCommons JSON instance.")
            var instance: String

            @Option(
                name: .shortAndLong, help: "Write the scenario here (default: standard output).")
            var output: String?

            @Flag(help: "Replace the output file if it exists.")
            var force = false

            @Option(help: "Number of workers (default: the recorded machines).")
            var workers: Int?

            @Option(help: "Threads per worker (default: the recorded cores, or 1 with --workers).")
            var threads: Int?

            func validate() throws {
                if let workers, workers < 1 {
                    throw ValidationError("--workers must be at least 1")
                }
                if let threads, threads < 1 {
                    throw ValidationError("--threads must be at least 1")
                }
            }

            func run() throws {
                guard let data = FileManager.default.contents(atPath: instance) else {
                    throw failure("\(instance): error: cannot read the file")
                }
                let workflow: WfCommonsImporter.Workflow
                let text: String
                do {
                    workflow = try WfCommonsImporter.read(data, file: instance)
                    text = try WfCommonsImporter.scenario(
                        workflow, source: (instance as NSString).lastPathComponent,
                        workers: workers, threads: threads
                    ).text
                } catch {
                    throw failure("\(error)")
                }
                guard let output else {
                    print(text, terminator: "")
                    return
                }
                if sameFile(output, instance) {
                    throw failure(
                        "\(output): error: this is the trace being imported; write elsewhere")
                }
                if FileManager.default.fileExists(atPath: output), !force {
                    throw failure("\(output): error: the file exists; pass --force to replace it")
                }
                do {
                    try ReportWriter.writeAtomically(text, to: URL(fileURLWithPath: output))
                } catch let error as ReportError {
                    throw failure(error.description)
                }
                FileHandle.standardError.write(
                    Data("wrote \(output): \(workflow.tasks.count) tasks\n".utf8))
            }
        }
    }
}

/// Prints `message` on standard error and ends with exit status 2.
func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return ExitCode(2)
}
