import Scheduling

/// What must hold at the end of a run.
public struct Expectation: Sendable, Hashable, CustomStringConvertible {
    public enum Check: Sendable, Hashable {
        /// Every future of these keys ends in this status (`released` for keys the client
        /// released); with `error`, an erred one erred with an error of that kind
        /// (`KilledWorker`, an injected failure's name, …).
        case status(keys: [String], name: String, status: String, error: String? = nil)
        /// The makespan lies between the bounds; a real run may miss them by `realSlack` of
        /// wall-clock time (the executor's own overheads, which a small time scale magnifies).
        case makespan(below: Nanoseconds?, above: Nanoseconds?, realSlack: Nanoseconds?)
        /// What the run counts lies within the bounds; with `of`, only what concerns those
        /// tasks (executions, retries, transfers and steals can be counted per task).
        case count(Counter, atLeast: Int?, atMost: Int?, of: Subject? = nil)
        /// No task completed successfully more often than it was lost.
        case noDuplicateExecution
        case noInvariantViolations
        /// No hang: nothing that could run was left unfinished.
        case completes
        /// The first key's last finish comes before the second's.
        case finishesBefore(String, String)
        /// The named wait or gather of the client timeline timed out (or did not).
        case waitTimedOut(name: String, expected: Bool)
        /// Trace records that `match` number within the bounds (`never:` is at most 0); with
        /// `after`, the first of them comes after the first record `after` matches.
        case occurs(TraceMatch, atLeast: Int?, atMost: Int?, after: TraceMatch?)
    }

    /// A task, or a family of them, named as the file names it.
    public struct Subject: Sendable, Hashable {
        public var name: String
        public var keys: [String]

        public init(name: String, keys: [String]) {
            self.name = name
            self.keys = keys
        }
    }

    /// What a run counts, for count expectations.
    public enum Counter: String, Sendable, Hashable, CaseIterable {
        case retries, steals, transfers, executions, cancellations
        /// Messages the scheduler found stale and ignored or refused (old runs, removed
        /// workers, tasks no longer processing, finishes of tasks gone back to waiting).
        case staleMessages = "stale_messages"
        /// Steal responses that found the steal aborted, stale, or refused by the victim.
        case stealRaces = "steal_races"
        /// Steal responses that arrived after their steal was aborted or superseded (dask's
        /// stale steal responses): not plain refusals, which any busy victim gives.
        case staleStealResponses = "stale_steal_responses"
        /// Steals the victim refused because it had started or finished the task.
        case stealsRefused = "steals_refused"
        /// Steal answers that found their steal aborted: the task had left processing (it
        /// finished, or was released) before the answer arrived.
        case stealsAborted = "steals_aborted"
        /// Steal answers to an older request than the one now in flight for the task (the
        /// task was dispatched again and asked for again meanwhile: dask#5370).
        case stealsStale = "steals_stale"
        /// Steals whose task was dispatched anew, because the victim did not know it or the
        /// thief had left.
        case stealsRescheduled = "steals_rescheduled"

        /// The counters an expectation may count for one task (`of:`).
        public static let perTask: [Counter] = [.executions, .retries, .transfers, .steals]
    }

    public var check: Check
    /// Where it was written, for messages.
    public var line: Int
    /// The expectation as written, roughly.
    public var text: String
    /// Whether it need only hold in one seed of a sweep (it shows the sweep reached an
    /// interleaving); a single run does not fail on it.
    public var sometimes = false

    public var description: String { text }

    /// Whether judging it needs the run's trace by name (it matches trace records).
    public var readsTrace: Bool {
        if case .occurs = check { return true }
        return false
    }

    /// An expectation built in code, called by its check's own words in messages.
    public init(_ check: Check, sometimes: Bool = false) {
        self.init(check: check, line: 0, sometimes: sometimes)
    }

    init(check: Check, line: Int, sometimes: Bool = false) {
        self.check = check
        self.line = line
        self.sometimes = sometimes
        self.text = (sometimes ? "sometimes: " : "") + check.description
    }
}

extension Expectation.Check: CustomStringConvertible {
    /// The check in words, as messages and reports name it.
    public var description: String {
        switch self {
        case .status(_, let name, let status, let error):
            "future \(name) is \(status)" + (error.map { " (\($0))" } ?? "")
        case .makespan(let below, let above, _):
            "makespan" + (above.map { " above \(formatDuration($0))" } ?? "")
                + (below.map { " below \(formatDuration($0))" } ?? "")
        case .count(let counter, let atLeast, let atMost, let subject):
            counter.rawValue + (subject.map { " of \($0.name)" } ?? "")
                + (atLeast.map { " ≥ \($0)" } ?? "") + (atMost.map { " ≤ \($0)" } ?? "")
        case .noDuplicateExecution: "no duplicate execution"
        case .noInvariantViolations: "no invariant violations"
        case .completes: "completes"
        case .finishesBefore(let first, let second): "\(first) finishes before \(second)"
        case .waitTimedOut(let name, let expected):
            "wait \(name) " + (expected ? "times out" : "completes in time")
        case .occurs(let match, nil, 0, nil): "never \(match)"
        case .occurs(let match, let atLeast, let atMost, let after):
            "\(match) occurs" + (atLeast.map { " ≥ \($0)" } ?? "")
                + (atMost.map { " ≤ \($0)" } ?? "") + (after.map { " after \($0)" } ?? "")
        }
    }
}
