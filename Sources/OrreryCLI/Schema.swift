import ArgumentParser
import Scenarios

extension OrreryCommand {
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of scenario files, for editors.",
            discussion: """
                The schema names every key the loader accepts, with its shape and default. Point \
                an editor at it with a first line like
                # yaml-language-server: $schema=scenario.schema.json
                It checks shapes only; `orrery validate` checks the rest.
                """)

        func run() {
            print(ScenarioSchema.json(), terminator: "")
        }
    }
}
