import Foundation
import Scenarios
import Testing
import Yams

/// The committed JSON Schema: current, true of every shipped scenario, and naming exactly the
/// keys the loader accepts.
@Suite struct ScenarioSchemaTests {
    static let schemaFile = packageRoot.appendingPathComponent("Schema/scenario.schema.json")

    static func committed() throws -> [String: Any] {
        try #require(
            PlainJSON.parse(String(contentsOf: schemaFile, encoding: .utf8)) as? [String: Any])
    }

    /// The file is what `orrery schema` prints; `RECORD_SNAPSHOTS=1` writes it anew.
    @Test func committedSchemaIsCurrent() throws {
        try expectCurrent(Self.schemaFile, is: ScenarioSchema.json(), suite: "ScenarioSchemaTests")
    }

    static func everyShippedScenario() -> [String] {
        let zoo = packageRoot.appendingPathComponent("scenarios/zoo")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: zoo.path)) ?? []
        return shippedScenarioFiles()
            + names.filter { $0.hasSuffix(".yaml") }.sorted().map {
                zoo.appendingPathComponent($0).path
            }
    }

    @Test(arguments: everyShippedScenario())
    func shippedScenarioValidates(path: String) throws {
        let document = try Yams.load(yaml: String(contentsOfFile: path, encoding: .utf8))
        let problems = SchemaValidator(root: try Self.committed()).problems(document as Any)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// Files the loader refuses for their shape are refused by the schema too, so the check
    /// above can fail.
    @Test(arguments: [
        "cluster: {workers: [{name: a}]}\ntasks: [{key: x}]\nbogus: 1\n",
        "cluster: {workers: [{name: a, threads: two}]}\ntasks: [{key: x}]\n",
        "cluster: {workers: [{name: a}]}\ntasks: [{key: x, duration: 10}]\n",
        "cluster: {workers: [{name: a}]}\ntasks: [{key: x}]\nclient: [{submit: x, cancel: x}]\n",
        "cluster: {workers: [{name: a}]}\ntasks: [{key: x}]\nfaults: [{at: 1s}]\n",
        "cluster: {workers: [{name: a, speed: 0}]}\ntasks: [{key: x}]\n",
        "cluster: {workers: [{threads: 2}]}\ntasks: [{key: x}]\n",
        "tasks: [{key: x}]\n",
        "cluster: {workers: [{name: a}]}\ntasks: [{key: x}]\nexpect: [{makespan: {real_slack: 1ms}}]\n",
    ])
    func schemaRefusesWhatTheLoaderRefuses(text: String) throws {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(text, file: "probe.yaml") }
        let problems = SchemaValidator(root: try Self.committed()).problems(
            try Yams.load(yaml: text) as Any)
        #expect(!problems.isEmpty)
    }

    /// A scenario with every mapping of the format, each marked `@name` (its definition in the
    /// schema) where one more key can go.
    static let probe = """
        name: probe
        cluster: {workers: [{count: 2, threads: 1 @worker_or_family}] @cluster}
        network: {latency: 1ms, client_latency: {uniform: [1ms, 2ms] @uniform_bounds}, batching: {client_to_scheduler: 1ms @batching} @network}
        scheduler: {policy: locality @scheduler}
        tasks:
          - {key: a, duration: {normal: {mean: 1s, sd: 1ms @normal} @distribution} @task}
          - {key: b, deps: [a], duration: {lognormal: {mu: 0, sigma: 1 @lognormal}}, estimate: {duration: 1s @estimate}}
        generate:
          - {chain: {length: 2 @chain} @generator}
          - {fan_out_fan_in: {width: 2 @fan_out_fan_in}}
          - {tree_reduction: {leaves: 4 @tree_reduction}}
          - {map_shuffle_reduce: {maps: 2, reduces: 2 @map_shuffle_reduce}}
          - {random_dag: {size: 10 @random_dag}}
        client:
          - {submit: all @client_action}
        faults:
          - {at: 1s, add: {name: late @worker} @fault}
          - {at: 0s, hold: {message: compute-task @hold}, by: 1ms}
        expect:
          - {makespan: {below: 100s @makespan} @expectation}
          - {steals: {at_least: 0 @count_bounds}}
          - {sometimes: {completes: true @plain_expectation}}
          - {never: {kind: execute @trace_match}}
        @scenario
        """

    static var probedMappings: [String] {
        probe.split(separator: "@").dropFirst().map {
            String($0.prefix { $0 != "}" && $0 != "\n" })
        }
    }

    static func probe(with name: String?) -> String {
        var text = probe
        for mapping in probedMappings {
            let extra =
                mapping == name ? (mapping == "scenario" ? "zz_unknown: 1" : ", zz_unknown: 1") : ""
            text = text.replacingOccurrences(
                of: (mapping == "scenario" ? "" : " ") + "@" + mapping, with: extra)
        }
        return text
    }

    @Test func probeCoversEveryTableAndLoads() throws {
        #expect(Set(Self.probedMappings) == Set(ScenarioFormat.tables.map(\.name)))
        _ = try ScenarioLoader.load(Self.probe(with: nil), file: "probe.yaml")
    }

    /// An unknown key in each mapping is refused with the keys the loader allows there, and
    /// those are the schema's properties of that mapping, no more and no fewer.
    @Test(arguments: probedMappings)
    func loaderAndSchemaAllowTheSameKeys(mapping: String) throws {
        var message = ""
        do {
            _ = try ScenarioLoader.load(Self.probe(with: mapping), file: "probe.yaml")
        } catch {
            message = error.message
        }
        let allowed = try #require(message.split(separator: "(allowed: ").last?.dropLast())
        let definitions = try #require(try Self.committed()["definitions"] as? [String: Any])
        let definition = try #require(definitions[mapping] as? [String: Any])
        let properties = try #require(definition["properties"] as? [String: Any])
        #expect(
            Set(allowed.split(separator: ", ").map(String.init)) == Set(properties.keys),
            "\(message)")
    }
}
