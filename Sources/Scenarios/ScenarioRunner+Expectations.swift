import Scheduling

/// Judging a run: each expectation against the facts of its trace and its final statuses.
extension ScenarioRunner {
    static func evaluate(
        _ expectation: Expectation, facts: RunFacts, status: (String) -> String, result: RunResult
    ) -> ExpectationResult {
        let verdict: (Bool, String)
        var failure = expectation.text
        switch expectation.check {
        case .status(let keys, _, let wanted, let error):
            // A key's status, with its error's kind where the expectation names one.
            func found(_ key: String) -> String {
                let kind = error == nil ? nil : result.errorKinds[key]
                return status(key) + (kind.map { " (\($0))" } ?? "")
            }
            let expected = wanted + (error.map { " (\($0))" } ?? "")
            let wrong = keys.filter { found($0) != expected }
            let seen = Set(wrong.map(found)).sorted()
            if !seen.isEmpty { failure += " (was \(seen.joined(separator: "/")))" }
            verdict = (
                wrong.isEmpty,
                wrong.isEmpty
                    ? "all \(keys.count) \(expected)"
                    : wrong.prefix(5).map { "\($0) is \(found($0))" }.joined(separator: ", ")
                        + (wrong.count > 5 ? ", … (\(wrong.count) in all)" : "")
            )
        case .makespan(let below, let above, let realSlack):
            // A real run's slack is wall-clock time: in model time, it grows as the scale shrinks.
            let slack =
                result.timeScale.map { scale in
                    Nanoseconds(saturating: Double(realSlack ?? 0) / scale)
                } ?? 0
            let ok =
                below.map { facts.makespan < $0.saturatingAdd(slack) } ?? true
                && above.map { facts.makespan > $0 - slack } ?? true
            verdict = (
                ok,
                "makespan \(formatDuration(facts.makespan))"
                    + (slack > 0
                        ? " (bounds widened by \(formatDuration(slack)) of model time)" : "")
            )
        case .count(let counter, let atLeast, let atMost, let subject):
            let value =
                subject.map { subject in
                    subject.keys.reduce(0) { $0 + facts.count(counter, of: $1) }
                } ?? facts.count(counter)
            let ok = within(value, atLeast, atMost)
            verdict = (
                ok, "\(counter.rawValue)" + (subject.map { " of \($0.name)" } ?? "") + " = \(value)"
            )
        case .noDuplicateExecution:
            let duplicated = facts.duplicatedTasks
            verdict = (
                duplicated.isEmpty,
                duplicated.isEmpty
                    ? "none"
                    : "ran more often than needed: \(duplicated.prefix(5).joined(separator: ", "))"
            )
        case .noInvariantViolations:
            verdict = (
                result.invariantViolations.isEmpty, result.invariantViolations.first ?? "none"
            )
        case .completes:
            verdict =
                if let stopped = result.stopped {
                    (false, "stopped: \(stopped)")
                } else {
                    (
                        result.hang.isEmpty,
                        result.hang.isEmpty
                            ? "completed"
                            : "hang: \(result.hang.prefix(5).joined(separator: ", "))"
                    )
                }
        case .waitTimedOut(let name, let expected):
            let outcome = facts.waits[name]
            verdict = (
                outcome?.timedOut == expected,
                outcome.map {
                    "\($0.done) of \($0.total) done" + ($0.timedOut ? ", timed out" : "")
                }
                    ?? "the wait never ran"
            )
        case .finishesBefore(let first, let second):
            switch (facts.lastFinish(first), facts.lastFinish(second)) {
            case (let a?, let b?):
                verdict = (
                    a < b, "\(first) at \(formatDuration(a)), \(second) at \(formatDuration(b))"
                )
            default:
                verdict = (false, "\(first) or \(second) never finished")
            }
        case .occurs(let match, let atLeast, let atMost, let after):
            let trace = facts.trace
            let hits = trace.indices.filter { match.matches(trace[$0]) }
            var ok = within(hits.count, atLeast, atMost)
            var detail =
                "\(hits.count) matching record\(hits.count == 1 ? "" : "s")"
                + (hits.first.map { ", the first at \(formatDuration(trace[$0].time))" } ?? "")
            if let after {
                if let anchor = trace.firstIndex(where: after.matches) {
                    let later = hits.first.map { $0 > anchor } ?? false
                    ok = ok && later
                    detail +=
                        "; \(after) first at \(formatDuration(trace[anchor].time))"
                        + (later || hits.isEmpty ? "" : ", later than the first match")
                } else {
                    ok = false
                    detail += "; \(after) never happened"
                }
            }
            verdict = (ok, detail)
        }
        return ExpectationResult(
            expectation: expectation.text, ok: verdict.0, detail: verdict.1,
            sometimes: expectation.sometimes, failure: failure)
    }

    /// Whether `value` lies within the bounds that are given.
    private static func within(_ value: Int, _ atLeast: Int?, _ atMost: Int?) -> Bool {
        atLeast.map { value >= $0 } ?? true && atMost.map { value <= $0 } ?? true
    }
}
