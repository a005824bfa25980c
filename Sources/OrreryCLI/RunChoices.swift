import ArgumentParser
import Scenarios
@_spi(PlantedBugs) import Scheduling

/// How a scenario runs, beyond its seed: the same options for run, explore, replay and shrink,
/// so a command printed by one reproduces in another.
struct RunChoices: ParsableArguments {
    @Option(help: "Scheduling policy, overriding the file's.")
    var policy: String?

    @Flag(help: "Swarm testing: the seed switches a random subset of the fault kinds on.")
    var swarm = false

    @Option(
        help:
            "Order same-time events PCT-style with this many change points, instead of at random (seeds other than the file's)."
    )
    var pct: Int?

    @Option(
        help:
            "Planted bug of the bug zoo to run with, or none for the correct scheduler (default: the file's)."
    )
    var bug: BugOption?

    func validate() throws {
        if let policy { try OrreryCommand.checkPolicies([policy]) }
        if let pct, pct < 0 { throw ValidationError("--pct must be 0 or more, got \(pct)") }
    }

    /// The scenario as these options run it.
    func apply(to scenario: Scenario) -> Scenario { bug.apply(to: scenario) }

    /// The result, its replay command naming what these options chose.
    func noted(_ result: RunResult) -> RunResult {
        var result = result
        result.bugChosen = bug != nil
        return result
    }
}

/// `--bug NAME`: run with one of the bug zoo's planted bugs, or `none` for the correct
/// scheduler, whatever the file says.
struct BugOption: ExpressibleByArgument {
    var bug: PlantedBug?

    init?(argument: String) {
        if argument == "none" {
            bug = nil
        } else if let bug = PlantedBug(rawValue: argument) {
            self.bug = bug
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ["none"] + PlantedBug.allCases.map(\.rawValue) }

    /// As written on a command line.
    var name: String { bug?.rawValue ?? "none" }

    /// The scenario with this choice of bug.
    func apply(to scenario: Scenario) -> Scenario {
        var scenario = scenario
        scenario.scheduler.plantedBug = bug
        return scenario
    }
}

extension Optional where Wrapped == BugOption {
    /// The scenario with the chosen bug, or as its file says when none was chosen.
    func apply(to scenario: Scenario) -> Scenario { map { $0.apply(to: scenario) } ?? scenario }
}
