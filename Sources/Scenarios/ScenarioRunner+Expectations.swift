import Scheduling

/// Judging a run: each expectation against the facts of its trace and its final statuses.
extension ScenarioRunner {
    static func evaluate(
        _ expectation: Expectation, facts: RunFacts, status: (String) -> String, result: RunResult
    ) -> ExpectationResult {
        let verdict: (Bool, String)
        var failure = expectation.text
        switch expectation.check {
        case .status(let keys, _, let wanted):
            let wrong = keys.filter { status($0) != wanted }
            let found = Set(wrong.map(status)).sorted()
            if !found.isEmpty { failure += " (was \(found.joined(separator: "/")))" }
            verdict = (
                wrong.isEmpty,
                wrong.isEmpty
                    ? "all \(keys.count) \(wanted)"
                    : wrong.prefix(5).map { "\($0) is \(status($0))" }.joined(separator: ", ")
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
        case .count(let counter, let atLeast, let atMost):
            let value = facts.count(counter)
            let ok = atLeast.map { value >= $0 } ?? true && atMost.map { value <= $0 } ?? true
            verdict = (ok, "\(counter.rawValue) = \(value)")
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
        }
        return ExpectationResult(
            expectation: expectation.text, ok: verdict.0, detail: verdict.1,
            sometimes: expectation.sometimes, failure: failure)
    }
}
