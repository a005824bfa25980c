/// JUnit XML for CI systems: one test case per run, failing with the expectations (or the
/// invariant or hang) that failed.
public enum JUnitRenderer {
    public static func xml(_ records: [RunRecord]) -> String {
        let failures = records.filter { !$0.header.passed }.count
        let time = records.reduce(0) { $0 + $1.header.wallSeconds }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"orrery\" tests=\"\(records.count)\" failures=\"\(failures)\">",
            "<testsuite name=\"orrery\" tests=\"\(records.count)\" failures=\"\(failures)\" time=\"\(fixed(time))\">",
        ]
        for record in records {
            let header = record.header
            let name = "\(header.scenario) [\(header.mode), \(header.policy), seed \(header.seed)]"
            lines.append(
                "<testcase classname=\"orrery.\(escaped(header.scenario))\" name=\"\(escaped(name))\" file=\"\(escaped(header.file))\" time=\"\(fixed(header.wallSeconds))\">"
            )
            if !header.passed {
                var reasons = header.expectations.filter { !$0.ok }.map {
                    "\($0.expectation): \($0.detail)"
                }
                reasons += header.invariantViolations.prefix(1).map { "invariant: \($0)" }
                if !header.hang.isEmpty {
                    reasons.append("hang: \(header.hang.prefix(5).joined(separator: ", "))")
                }
                if let stopped = header.stopped { reasons.append("stopped: \(stopped)") }
                lines.append(
                    "<failure message=\"\(escaped(reasons.first ?? "failed"))\">\(escaped((reasons + ["replay: \(header.replay)"]).joined(separator: "\n")))</failure>"
                )
            }
            lines.append("</testcase>")
        }
        lines += ["</testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }
}
