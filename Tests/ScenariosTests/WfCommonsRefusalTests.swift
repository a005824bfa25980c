import Foundation
import Scenarios
import Testing

/// Traces the importer cannot take as written: each is refused with the task and field named,
/// never turned into a changed graph or a scenario the loader would refuse.
@Suite struct WfCommonsRefusalTests {
    /// A WfFormat 1.5 document of two tasks, a → b, with `edit` applied to its JSON object.
    static func trace(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var root: [String: Any] = [
            "name": "small", "schemaVersion": "1.5",
            "workflow": [
                "specification": [
                    "tasks": [
                        [
                            "id": "a", "parents": [String](), "children": ["b"],
                            "outputFiles": ["a.out", "a.log"],
                        ],
                        ["id": "b", "parents": ["a"], "children": [String](), "outputFiles": []],
                    ],
                    "files": [
                        ["id": "a.out", "sizeInBytes": 100], ["id": "a.log", "sizeInBytes": 1],
                    ],
                ],
                "execution": [
                    "makespanInSeconds": 3,
                    "tasks": [
                        ["id": "a", "runtimeInSeconds": 1, "machines": ["m"]],
                        ["id": "b", "runtimeInSeconds": 2, "machines": ["m"]],
                    ],
                    "machines": [["nodeName": "m", "cpu": ["coreCount": 4]]],
                ],
            ],
        ]
        edit(&root)
        return try! JSONSerialization.data(withJSONObject: root)
    }

    /// The value at a path of keys and list positions, replaced.
    static func set(_ value: Any, at path: [Any], in object: inout [String: Any]) {
        func replace(_ node: Any, _ rest: ArraySlice<Any>) -> Any {
            guard let step = rest.first else { return value }
            if let key = step as? String, var dictionary = node as? [String: Any] {
                dictionary[key] = replace(dictionary[key] as Any, rest.dropFirst())
                return dictionary
            }
            var list = node as! [Any]
            let index = step as! Int
            list[index] = replace(list[index], rest.dropFirst())
            return list
        }
        object = replace(object, path[...]) as! [String: Any]
    }

    static var specTask: [Any] { ["workflow", "specification", "tasks"] }
    static var execTask: [Any] { ["workflow", "execution", "tasks"] }

    /// (what is changed, the value, what the message must say)
    static var cases: [(path: [Any], value: Any, says: String)] {
        [
            (execTask + [0, "runtimeInSeconds"], 1e300, "task 'a': runtimeInSeconds"),
            (execTask + [0, "runtimeInSeconds"], 1e10, "task 'a': runtimeInSeconds"),
            (execTask + [0, "runtimeInSeconds"], -1, "task 'a': runtimeInSeconds"),
            (execTask + [0, "runtimeInSeconds"], "6", "task 'a': runtimeInSeconds"),
            (["workflow", "specification", "files", 0, "sizeInBytes"], 1e20, "sizeInBytes"),
            (["workflow", "specification", "files", 0, "sizeInBytes"], "6", "sizeInBytes"),
            (
                ["workflow", "specification", "files", 0, "sizeInBytes"], Int64.max,
                "add up past"
            ),
            (specTask + [0, "outputFiles"], ["a.out", "a.more"], "'a.more' is not in"),
            (specTask + [1, "parents"], "a", "task 'b': parents"),
            (specTask + [1, "parents"], [1], "task 'b': parents[0]"),
            (specTask + [1, "parents"], ["b"], "own parent"),
            (specTask + [1, "parents"], ["ghost"], "parent 'ghost' is not a task"),
            (specTask + [1, "parents"], ["zeta", "alpha"], "parent 'zeta' is not a task"),
            (specTask + [1, "id"], "a", "task 'a': the id is used"),
            (specTask + [0, "parents"], ["b"], "a cycle"),
            (specTask + [0, "children"], [String](), "task 'a': its children"),
            (["workflow", "execution", "machines", 0, "cpu", "coreCount"], 0, "coreCount"),
            (["workflow", "execution", "machines", 0, "cpu", "coreCount"], -3, "coreCount"),
            (["workflow", "execution", "machines", 0, "nodeName"], "n", "machine 'm' is not in"),
            (["schemaVersion"], "2.0", "schemaVersion"),
        ]
    }

    static let caseCount = 20

    @Test func everyCaseRuns() { #expect(Self.cases.count == Self.caseCount) }

    @Test func theUneditedTraceImports() throws {
        let workflow = try WfCommonsImporter.read(Self.trace(), file: "small.json")
        #expect(workflow.tasks.map(\.key) == ["a", "b"])
        #expect(workflow.tasks[0].outputBytes == 101)
        #expect(workflow.machines.map(\.cores) == [4])
        let (_, scenario) = try WfCommonsImporter.scenario(
            workflow, source: "small.json", workers: nil, threads: nil)
        #expect(scenario.tasks.count == 2)
    }

    @Test(arguments: 0..<caseCount) func refused(_ index: Int) throws {
        let (path, value, says) = Self.cases[index]
        let data = Self.trace { Self.set(value, at: path, in: &$0) }
        let error = #expect(throws: WfCommonsImporter.Problem.self) {
            try WfCommonsImporter.read(data, file: "small.json")
        }
        #expect(error?.description.hasPrefix("small.json: error: ") == true)
        #expect(error?.description.contains(says) == true, "\(error?.description ?? "")")
    }

    @Test func syntaxErrorsHaveALineAndColumn() {
        let data = Data("{\n  \"workflow\": {\n    \"tasks\" [1]\n  }\n}".utf8)
        let error = #expect(throws: WfCommonsImporter.Problem.self) {
            try WfCommonsImporter.read(data, file: "bad.json")
        }
        #expect(error?.description.hasPrefix("bad.json:3:") == true, "\(error!)")
    }
}
