import Foundation
import Scenarios
import Testing

func fixture(_ name: String) throws -> Data {
    try Data(
        contentsOf: packageRoot.appendingPathComponent("Tests/ScenariosTests/Fixtures/\(name)"))
}

@Suite struct WfCommonsImportTests {
    static let instances = [
        "helloworld-chain-5-chameleon.json", "helloworld-forkjoin-10-chameleon.json",
        "montage-chameleon-dss-05d-001.json", "epigenomics-chameleon-hep-1seq-100k-001.json",
        "1000genome-chameleon-2ch-100k-001.json",
    ]

    /// The figures the data's README gives for each trace.
    @Test func readsTasksRuntimesAndCriticalPaths() throws {
        let chain = try WfCommonsImporter.read(try fixture(Self.instances[0]), file: "chain")
        #expect(chain.tasks.count == 5)
        #expect(abs(chain.criticalPath - 501.2) < 0.1)
        let montage = try WfCommonsImporter.read(try fixture(Self.instances[2]), file: "montage")
        #expect(montage.tasks.count == 58)
        #expect(abs(montage.criticalPath - 559.8) < 0.1)
        #expect(abs(montage.totalWork - 5585.8) < 0.1)
        #expect(montage.recordedMakespan == 870)
        #expect(montage.tasks[0].outputBytes > 0)
    }

    /// No simulated makespan beats the critical path or total work over slots, on the recorded
    /// machines and on a small cluster; every task finishes.
    @Test(arguments: instances, [nil, 2] as [Int?])
    func simulatedMakespanRespectsTheLowerBounds(instance: String, workers: Int?) throws {
        let workflow = try WfCommonsImporter.read(try fixture(instance), file: instance)
        let text = WfCommonsImporter.scenarioText(
            workflow, source: instance, workers: workers, threads: workers.map { _ in 2 })
        let scenario = try ScenarioLoader.load(text, file: instance)
        let (result, _) = ScenarioRunner.simulate(scenario)
        #expect(result.passed, "\(result.expectations.filter { !$0.ok })")
        #expect(result.states == ["finished": workflow.tasks.count])
        let slots = scenario.workers.reduce(0) { $0 + $1.threads }
        let bound = max(workflow.criticalPath, workflow.totalWork / Double(slots))
        #expect(Double(result.makespan) / 1e9 >= bound - 0.001)
    }

    @Test func refusesSomethingElse() {
        #expect(throws: WfCommonsImporter.Problem.self) {
            try WfCommonsImporter.read(Data("{\"name\": 1}".utf8), file: "x.json")
        }
        #expect(throws: WfCommonsImporter.Problem.self) {
            try WfCommonsImporter.read(Data("not json".utf8), file: "x.json")
        }
    }
}
