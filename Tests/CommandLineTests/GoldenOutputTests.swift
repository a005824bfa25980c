import Foundation
import Testing

/// What the command prints, against golden files in `Golden/`: its help, a passing and a
/// failing run in text and JSON, refusals of bad input, a sweep. `RECORD_SNAPSHOTS=1`
/// records them anew (then read the diff before committing it).
///
/// Each file holds the exit status, stdout and stderr. Figures that change from run to run
/// (seeds per second, wall-clock times) are masked as `<N>`.
@Suite struct GoldenOutputTests {
    static let cases: [(name: String, arguments: [String])] = [
        ("help", ["--help"]),
        ("run-help", ["run", "--help"]),
        ("explore-help", ["explore", "--help"]),
        ("matrix-help", ["matrix", "--help"]),
        ("run-pass", ["run", "scenarios/retries.yaml", "scenarios/steal-versus-finish.yaml"]),
        ("run-fail", ["run", "scenarios/locality-shuffle.yaml", "--policy", "least-loaded"]),
        ("run-json", ["run", "scenarios/chain.yaml", "--format", "json"]),
        ("validate-broken", ["validate", "Tests/ScenariosTests/Broken/bad-duration-unit.yaml"]),
        ("run-directory", ["run", "scenarios"]),
        ("run-negative-seed", ["run", "scenarios/chain.yaml", "--seed", "-1"]),
        ("explore-zoo", ["explore", "scenarios/zoo/count-deaths-twice.yaml", "--seeds", "60"]),
    ]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    @Test(arguments: cases.map(\.name))
    func output(name: String) throws {
        let arguments = Self.cases.first { $0.name == name }!.arguments
        let (status, out, err) = try orrery(arguments)
        let text = Self.masked("status \(status)\n--- stdout\n\(out)--- stderr\n\(err)")
        let file = Self.folder.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: Self.folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "orrery \(arguments.joined(separator: " ")) printed something else")
    }

    /// Masks what changes between runs: rates and wall-clock times.
    static func masked(_ text: String) -> String {
        var result = text
        for pattern in [#"[0-9]+ seeds/s"#, #""wall_s":[0-9.e-]+"#] {
            while let range = result.range(of: pattern, options: .regularExpression) {
                let found = String(result[range])
                let replacement =
                    found.hasSuffix("seeds/s") ? "<N> seeds/s" : #""wall_s":<N>"#
                result.replaceSubrange(range, with: replacement)
            }
        }
        return result
    }
}
