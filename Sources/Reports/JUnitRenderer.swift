import Scenarios

/// JUnit XML for CI systems: one test case per run, failing with the expectations (or the
/// invariant, hang or stop) that failed; or, for a sweep, one per way it failed.
public enum JUnitRenderer {
    public static func xml(_ records: [RunRecord]) -> String {
        document(
            records.map { record in
                let header = record.header
                var reasons: [(kind: String, text: String)] = header.expectations.filter { !$0.ok }
                    .map { ("expectation", "\($0.expectation): \($0.detail)") }
                reasons += header.invariantViolations.prefix(1).map {
                    ("invariant", "invariant: \($0)")
                }
                if !header.hang.isEmpty {
                    reasons.append(
                        ("hang", "hang: \(header.hang.prefix(5).joined(separator: ", "))"))
                }
                if let stopped = header.stopped {
                    reasons.append(("stopped", "stopped: \(stopped)"))
                }
                return TestCase(
                    suite: header.scenario,
                    name:
                        "\(header.scenario) [\(header.mode), \(header.policy), seed \(header.seed)]",
                    seconds: header.wallSeconds, kind: reasons.first?.kind ?? "",
                    failure: header.passed
                        ? nil : reasons.map(\.text) + ["replay: \(header.replay)"])
            })
    }

    /// A sweep (`orrery explore`) as test cases: one per kind of failure (with its count and
    /// the first seed's replay command), one per determinism bug, one per `sometimes:`
    /// expectation (failing when it held in no seed), and one that passes when no seed failed.
    public static func xml(_ exploration: Exploration) -> String {
        let scenario = exploration.scenario
        var cases: [TestCase] = exploration.groups.map { group in
            TestCase(
                suite: scenario, name: "\(scenario): \(group.signature)", seconds: 0,
                kind: "seeds failed",
                failure: [
                    "\(group.count) of \(exploration.seedsRun) seeds, first seed \(group.first.seed)",
                    "replay: \(group.first.replay)",
                ])
        }
        if cases.isEmpty {
            cases.append(
                TestCase(
                    suite: scenario, name: "\(scenario): \(exploration.seedsRun) seeds",
                    seconds: exploration.wallSeconds, kind: "", failure: nil))
        }
        cases += exploration.determinismBugs.map { seed in
            TestCase(
                suite: scenario, name: "\(scenario): determinism, seed \(seed)", seconds: 0,
                kind: "determinism", failure: ["seed \(seed) gave two different traces"])
        }
        cases += exploration.sometimes.map { sometimes in
            TestCase(
                suite: scenario, name: "\(scenario): sometimes \(sometimes.expectation)",
                seconds: 0, kind: "sometimes",
                failure: sometimes.seeds > 0
                    ? nil : ["held in none of \(exploration.seedsRun) seeds"])
        }
        return document(cases)
    }

    private struct TestCase {
        var suite: String
        var name: String
        var seconds: Double
        /// What failed first (`expectation`, `hang`, `determinism`, …): the failure's type.
        var kind: String
        /// The reasons it failed, the first as the message; `nil` when it passed.
        var failure: [String]?
    }

    /// The report in the layout Jenkins and Maven Surefire read, with no attribute they do not
    /// define (a test checks it against that schema); a case's file is its suite's class name.
    private static func document(_ cases: [TestCase]) -> String {
        let failures = cases.filter { $0.failure != nil }.count
        let time = cases.reduce(0) { $0 + $1.seconds }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\""
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"orrery\" \(counts) time=\"\(fixed(time))\">",
            "<testsuite name=\"orrery\" \(counts) skipped=\"0\" time=\"\(fixed(time))\">",
        ]
        for test in cases {
            lines.append(
                "<testcase classname=\"orrery.\(escaped(test.suite))\" name=\"\(escaped(test.name))\" time=\"\(fixed(test.seconds))\">"
            )
            if let reasons = test.failure {
                lines.append(
                    "<failure message=\"\(escaped(reasons.first ?? "failed"))\" type=\"\(escaped(test.kind))\">\(escaped(reasons.joined(separator: "\n")))</failure>"
                )
            }
            lines.append("</testcase>")
        }
        lines += ["</testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }
}
