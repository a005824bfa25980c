import Scenarios

/// JUnit XML for CI systems: one test case per run, failing with the expectations (or the
/// invariant, hang or stop) that failed; or, for a sweep, one per way it failed.
public enum JUnitRenderer {
    public static func xml(_ records: [RunRecord]) -> String {
        document(
            records.map { record in
                let header = record.header
                var reasons = header.expectations.filter { !$0.ok }.map {
                    "\($0.expectation): \($0.detail)"
                }
                reasons += header.invariantViolations.prefix(1).map { "invariant: \($0)" }
                if !header.hang.isEmpty {
                    reasons.append("hang: \(header.hang.prefix(5).joined(separator: ", "))")
                }
                if let stopped = header.stopped { reasons.append("stopped: \(stopped)") }
                return TestCase(
                    suite: header.scenario,
                    name:
                        "\(header.scenario) [\(header.mode), \(header.policy), seed \(header.seed)]",
                    file: header.file, seconds: header.wallSeconds,
                    failure: header.passed
                        ? nil : reasons + ["replay: \(header.replay)"])
            })
    }

    /// A sweep (`orrery explore`) as test cases: one per kind of failure (with its count and
    /// the first seed's replay command), one per determinism bug, one per `sometimes:`
    /// expectation (failing when it held in no seed), and one that passes when no seed failed.
    public static func xml(_ exploration: Exploration, file: String) -> String {
        let scenario = exploration.scenario
        var cases: [TestCase] = exploration.groups.map { group in
            TestCase(
                suite: scenario, name: "\(scenario): \(group.signature)", file: file, seconds: 0,
                failure: [
                    "\(group.count) of \(exploration.seedsRun) seeds, first seed \(group.first.seed)",
                    "replay: \(group.first.replay)",
                ])
        }
        if cases.isEmpty {
            cases.append(
                TestCase(
                    suite: scenario, name: "\(scenario): \(exploration.seedsRun) seeds",
                    file: file, seconds: exploration.wallSeconds, failure: nil))
        }
        cases += exploration.determinismBugs.map { seed in
            TestCase(
                suite: scenario, name: "\(scenario): determinism, seed \(seed)", file: file,
                seconds: 0, failure: ["seed \(seed) gave two different traces"])
        }
        cases += exploration.sometimes.map { sometimes in
            TestCase(
                suite: scenario, name: "\(scenario): sometimes \(sometimes.expectation)",
                file: file, seconds: 0,
                failure: sometimes.seeds > 0
                    ? nil : ["held in none of \(exploration.seedsRun) seeds"])
        }
        return document(cases)
    }

    private struct TestCase {
        var suite: String
        var name: String
        var file: String
        var seconds: Double
        /// The reasons it failed, the first as the message; `nil` when it passed.
        var failure: [String]?
    }

    private static func document(_ cases: [TestCase]) -> String {
        let failures = cases.filter { $0.failure != nil }.count
        let time = cases.reduce(0) { $0 + $1.seconds }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"orrery\" tests=\"\(cases.count)\" failures=\"\(failures)\">",
            "<testsuite name=\"orrery\" tests=\"\(cases.count)\" failures=\"\(failures)\" time=\"\(fixed(time))\">",
        ]
        for test in cases {
            lines.append(
                "<testcase classname=\"orrery.\(escaped(test.suite))\" name=\"\(escaped(test.name))\" file=\"\(escaped(test.file))\" time=\"\(fixed(test.seconds))\">"
            )
            if let reasons = test.failure {
                lines.append(
                    "<failure message=\"\(escaped(reasons.first ?? "failed"))\">\(escaped(reasons.joined(separator: "\n")))</failure>"
                )
            }
            lines.append("</testcase>")
        }
        lines += ["</testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }
}
