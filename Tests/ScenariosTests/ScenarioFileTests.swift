import Cluster
import Foundation
import Scenarios
import Testing

/// What can go wrong with a scenario file before or around its YAML: each gets a message
/// with the file and, where there is one, the line and column.
@Suite struct ScenarioFileTests {
    func scratch(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func bytesThatAreNotUTF8AreLocated() throws {
        let path = try scratch(
            "latin1.yaml", Array("cluster:\n  workers: [{name: ".utf8) + [0xE9] + Array("}]\n".utf8)
        )
        let error = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(contentsOf: path)
        }
        #expect(error?.description == "\(path):2:20: error: the file is not UTF-8 text (byte 0xe9)")
    }

    @Test func aDirectoryIsNotAScenario() throws {
        let path = try scratch("x.yaml", [])
        let folder = (path as NSString).deletingLastPathComponent
        let error = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(contentsOf: folder)
        }
        #expect(error?.description.contains("this is a directory") == true)
        let empty = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(contentsOf: path)
        }
        #expect(empty?.description == "\(path): error: the file is empty")
        let missing = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(contentsOf: folder + "/none.yaml")
        }
        #expect(missing?.description.hasSuffix("error: no such file") == true)
    }

    /// A character YAML does not allow: the reader's complaint, at its line and column.
    @Test func readerErrorsAreLocated() {
        let error = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(
                "cluster:\n  workers: [{name: a\u{7}}]\n", file: "bell.yaml")
        }
        #expect(error?.description.hasPrefix("bell.yaml:2:") == true, "\(error!)")
        #expect(error?.description.contains("invalid YAML") == true)
    }

    /// A count of failing attempts stays a count: a huge one loads at once and fails every
    /// attempt.
    @Test func aHugeAttemptCountIsACount() throws {
        let scenario = try ScenarioLoader.load(
            """
            cluster: {workers: [{name: a}]}
            tasks: [{key: x}]
            faults: [{fail: x, attempts: 9223372036854775807}]
            """, file: "attempts.yaml")
        guard case .failTask(_, let attempts, _) = scenario.faults[0] else {
            Issue.record("not a task failure: \(scenario.faults)")
            return
        }
        #expect(attempts == .first(Int.max))
        #expect(attempts.contains(1) && attempts.contains(1_000_000_000) && !attempts.contains(0))
    }
}
