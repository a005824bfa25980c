import ArgumentParser
import Foundation
@_spi(Locking) import Futures
import Scheduling

/// `orrery`: run, check and explore scheduler scenarios.
///
/// Exit codes: 0 all good, 1 an expectation or invariant failed, 2 bad input or usage.
public struct OrreryCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orrery",
        abstract: "Test task schedulers in a deterministic simulation.",
        discussion:
            "Exit status: 0 all good, 1 an expectation or invariant failed, 2 bad input or usage.",
        version: OrreryCommand.version,
        subcommands: [
            Run.self, Validate.self, Explore.self, Replay.self, Shrink.self, Import.self,
            Report.self, Compare.self, Baseline.self, Matrix.self, Schema.self,
        ])

    /// The version `orrery --version` prints.
    public static let version = "0.3.0"

    public init() {}

    /// Policies this command knows besides the shipped ones, set once before parsing.
    static let addedPolicies = Locked<[PolicyFactory]>([])

    static var policies: [PolicyFactory] { addedPolicies.withLock { $0 } }

    /// Every policy name `--policy` and scenario files may use.
    static var policyNames: [String] { PolicyRegistry.names + policies.map(\.name) }

    /// Refuses a policy name this command does not know, listing the ones it does.
    static func checkPolicies(_ names: [String]) throws {
        for name in names where !policyNames.contains(name) {
            throw ValidationError(
                "unknown policy '\(name)' (known: \(policyNames.joined(separator: ", ")))")
        }
    }

    /// Runs the command with `policies` registered beside the shipped ones; usage errors exit
    /// 2 instead of argument-parser's 64.
    public static func main(adding policies: [PolicyFactory]) {
        addedPolicies.withLock { $0 = policies }
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
