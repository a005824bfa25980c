import Cluster

/// Which trace records an `occurs:`, `never:` or `after:` expectation means: every field it
/// gives must agree with the record (a task given as a family matches any of its tasks; a
/// message matches a task it names).
public struct TraceMatch: Sendable, Hashable, CustomStringConvertible {
    /// The record's kind, as `trace.jsonl` names it (`note`, `delivered`, `execute`, …).
    public var kind: String?
    /// The task, or family, the record must be about; `keys` are its tasks.
    public var task: Subject?
    public var worker: String?
    /// A message's name as traces give it (`stealResponse`), for `delivered` and
    /// `client-sent` records.
    public var message: String?
    public var from: String?
    public var to: String?
    /// A steal response's answer (`executing`, `unknown`, …).
    public var state: String?

    public typealias Subject = Expectation.Subject

    public init(
        kind: String? = nil, task: Subject? = nil, worker: String? = nil, message: String? = nil,
        from: String? = nil, to: String? = nil, state: String? = nil
    ) {
        self.kind = kind
        self.task = task
        self.worker = worker
        self.message = message
        self.from = from
        self.to = to
        self.state = state
    }

    /// Whether `entry` is one of the records meant.
    public func matches(_ entry: TraceEntry) -> Bool {
        if let kind, entry.kind != kind { return false }
        if let task {
            let named = entry.tasks ?? entry.task.map { [$0] } ?? []
            guard named.contains(where: task.keys.contains) else { return false }
        }
        if let worker, entry.worker != worker { return false }
        if let message, entry.message != message { return false }
        if let from, entry.from != from { return false }
        if let to, entry.to != to { return false }
        if let state, entry.state != state { return false }
        return true
    }

    /// The match in words, as the file gives it.
    public var description: String {
        [
            kind, task.map { "task \($0.name)" }, worker.map { "on \($0)" },
            message.map { name in
                "message " + (MessageKind.allCases.first { $0.name == name }?.wireName ?? name)
            },
            from.map { "from \($0)" }, to.map { "to \($0)" }, state.map { "answering \($0)" },
        ].compactMap { $0 }.joined(separator: " ")
    }
}
