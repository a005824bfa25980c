import ArgumentParser
import Scenarios
import Scheduling

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
