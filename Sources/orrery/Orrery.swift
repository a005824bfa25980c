import ArgumentParser
import Foundation

/// `orrery`: run, check and explore scheduler scenarios.
///
/// Exit codes: 0 all good, 1 an expectation or invariant failed, 2 bad input or usage.
@main
struct Orrery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orrery",
        abstract: "Test task schedulers in a deterministic simulation.",
        discussion:
            "Exit status: 0 all good, 1 an expectation or invariant failed, 2 bad input or usage.",
        subcommands: [Run.self, Validate.self, Import.self, Report.self, Compare.self])

    /// Parses and runs, with usage errors exiting 2 instead of argument-parser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(status == ExitCode(1) ? 1 : 2)
        }
    }
}
