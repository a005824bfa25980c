import ArgumentParser

extension OrreryCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files without running them.",
            discussion: "Problems are reported as file:line:column: error: … with exit status 2.")

        @Argument(help: "Scenario files (YAML).")
        var scenarios: [String]

        func run() throws {
            for scenario in try loadAll(scenarios) {
                print(
                    "ok  \(scenario.file): \(scenario.name), \(scenario.tasks.count) tasks, \(scenario.workers.count) workers"
                )
            }
        }
    }
}
