import Cluster
import Scheduling
import Yams

/// What must hold at the end of a run.
extension Reading {
    func expectations(_ node: Node?, scenarioActions: [ClientAction]) throws(ScenarioError)
        -> [Expectation]
    {
        guard let node else { return [] }
        let waits: [String] = scenarioActions.compactMap {
            if case .wait(_, _, _, let name, _) = $0 { return name }
            return nil
        }
        var result: [Expectation] = []
        for (index, item) in try reader.list(node, at: "expect").enumerated() {
            let path = "expect[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.expectation)
            guard let inner = fields["sometimes"] else {
                result.append(try expectation(item, at: path, waits: waits))
                continue
            }
            guard fields.entries.count == 1 else {
                throw reader.error(
                    item,
                    "sometimes: takes one expectation of its own, like {sometimes: {steals: {at_least: 1}}}",
                    at: path)
            }
            result.append(
                try expectation(inner, at: fields.path("sometimes"), waits: waits, sometimes: true))
        }
        return result
    }

    /// Reads one expectation.
    func expectation(_ item: Node, at path: String, waits: [String], sometimes: Bool = false)
        throws(ScenarioError) -> Expectation
    {
        let fields = try reader.fields(item, at: path, table: ScenarioFormat.plainExpectation)
        let line = item.mark?.line ?? 0
        let check: Expectation.Check
        if let future = fields["future"] {
            let name = try reader.string(future, at: fields.path("future"))
            let keys = try requireKeys([name], node: future, at: fields.path("future"))
            let status = try reader.string(
                try fields.required("status"), at: fields.path("status"))
            let statuses = ScenarioFormat.futureStatuses
            guard statuses.contains(status) else {
                throw reader.error(
                    fields["status"], "expected a status: \(statuses.joined(separator: ", "))",
                    at: fields.path("status"))
            }
            let error = try fields.optional("error", reader.string)
            if error != nil, status != "error" {
                throw reader.error(
                    fields.place("error"), "error: goes with status: error", at: path)
            }
            check = .status(keys: keys, name: name, status: status, error: error)
        } else if let makespan = fields["makespan"] {
            let bounds = try reader.fields(
                makespan, at: fields.path("makespan"), table: ScenarioFormat.makespan)
            let below = try bounds.optional("below", reader.duration)
            let above = try bounds.optional("above", reader.duration)
            let realSlack = try bounds.optional("real_slack", reader.duration)
            guard below != nil || above != nil else {
                throw reader.error(
                    makespan, "expected below: and/or above:", at: fields.path("makespan"))
            }
            check = .makespan(below: below, above: above, realSlack: realSlack)
        } else if let counter = Expectation.Counter.allCases.first(where: {
            fields.has($0.rawValue)
        }) {
            let bounds = try reader.fields(
                fields[counter.rawValue]!, at: fields.path(counter.rawValue),
                table: ScenarioFormat.countBounds)
            var atLeast = try bounds.optional("at_least") { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 0)
            }
            var atMost = try bounds.optional("at_most") { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 0)
            }
            if let equals = try bounds.optional(
                "equals",
                { node, path throws(ScenarioError) in try reader.int(node, at: path, minimum: 0)
                })
            {
                atLeast = equals
                atMost = equals
            }
            guard atLeast != nil || atMost != nil else {
                throw reader.error(
                    fields[counter.rawValue], "expected at_least:, at_most: or equals:",
                    at: fields.path(counter.rawValue))
            }
            var subject: Expectation.Subject?
            if let of = bounds["of"] {
                guard Expectation.Counter.perTask.contains(counter) else {
                    throw reader.error(
                        bounds.place("of"),
                        "\(counter.rawValue) is counted for the whole run; of: goes with \(Expectation.Counter.perTask.map(\.rawValue).joined(separator: ", "))",
                        at: fields.path(counter.rawValue))
                }
                let name = try reader.string(of, at: bounds.path("of"))
                subject = Expectation.Subject(
                    name: name, keys: try requireKeys([name], node: of, at: bounds.path("of")))
            }
            check = .count(counter, atLeast: atLeast, atMost: atMost, of: subject)
        } else if let order = fields["finishes_before"] {
            let pair = try reader.strings(order, at: fields.path("finishes_before"))
            guard pair.count == 2 else {
                throw reader.error(
                    order, "expected [first, second]", at: fields.path("finishes_before"))
            }
            let keys = try requireKeys(pair, node: order, at: fields.path("finishes_before"))
            guard keys.count == 2 else {
                throw reader.error(
                    order, "expected two single tasks, not families",
                    at: fields.path("finishes_before"))
            }
            check = .finishesBefore(keys[0], keys[1])
        } else if let wait = fields["wait"] {
            let name = try reader.string(wait, at: fields.path("wait"))
            guard waits.contains(name) else {
                let hint = didYouMean(name, among: waits)
                throw reader.error(
                    wait, "no client wait or gather is named '\(name)'\(hint)",
                    at: fields.path("wait"))
            }
            let timedOut = try reader.bool(
                try fields.required("timed_out"), at: fields.path("timed_out"))
            check = .waitTimedOut(name: name, expected: timedOut)
        } else if let flag = ["no_duplicate_execution", "no_invariant_violations", "completes"]
            .first(where: fields.has)
        {
            guard try reader.bool(fields[flag]!, at: fields.path(flag)) else {
                throw reader.error(
                    fields[flag], "only \(flag): true can be expected", at: fields.path(flag))
            }
            check =
                flag == "completes"
                ? .completes
                : flag == "no_duplicate_execution"
                    ? .noDuplicateExecution : .noInvariantViolations
        } else if let match = fields["occurs"] ?? fields["never"] {
            check = try occurs(match, fields: fields, at: path)
        } else {
            throw reader.error(
                item,
                "expected one of future, makespan, a count (\(Expectation.Counter.allCases.map(\.rawValue).joined(separator: ", "))), finishes_before, wait, no_duplicate_execution, no_invariant_violations, completes, occurs, never",
                at: path)
        }
        for option in ["count", "at_least", "at_most", "after"]
        where fields.has(option) && !fields.has("occurs") {
            throw reader.error(fields.place(option), "\(option): goes with occurs:", at: path)
        }
        if fields.has("timed_out"), !fields.has("wait") {
            throw reader.error(
                fields.place("timed_out"), "timed_out: goes with wait:", at: path)
        }
        if fields.has("error"), !fields.has("future") {
            throw reader.error(fields.place("error"), "error: goes with future:", at: path)
        }
        if fields.has("status"), !fields.has("future") {
            throw reader.error(fields.place("status"), "status: goes with future:", at: path)
        }
        return Expectation(check: check, line: line, sometimes: sometimes)
    }

    /// `{occurs: match, count | at_least | at_most, after: match}` or `{never: match}`.
    private func occurs(_ node: Node, fields: Fields, at path: String) throws(ScenarioError)
        -> Expectation.Check
    {
        if fields.has("occurs"), fields.has("never") {
            throw reader.error(
                fields.place("never"), "occurs: and never: are two expectations", at: path)
        }
        let never = fields.has("never")
        let match = try traceMatch(node, at: fields.path(never ? "never" : "occurs"))
        if never { return .occurs(match, atLeast: nil, atMost: 0, after: nil) }
        func bound(_ key: String) throws(ScenarioError) -> Int? {
            try fields.optional(key) { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 0)
            }
        }
        var atLeast = try bound("at_least")
        var atMost = try bound("at_most")
        if let count = try bound("count") {
            atLeast = count
            atMost = count
        }
        let after = try fields.optional("after") { node, path throws(ScenarioError) in
            try traceMatch(node, at: path)
        }
        return .occurs(
            match, atLeast: atLeast == nil && atMost == nil ? 1 : atLeast, atMost: atMost,
            after: after)
    }

    /// Which trace records a match means, every name checked against the scenario.
    private func traceMatch(_ node: Node, at path: String) throws(ScenarioError) -> TraceMatch {
        let fields = try reader.fields(node, at: path, table: ScenarioFormat.traceMatch)
        guard !fields.entries.isEmpty else {
            throw reader.error(
                node,
                "expected at least one of \(ScenarioFormat.traceMatch.names.joined(separator: ", "))",
                at: path)
        }
        var match = TraceMatch()
        if let kind = try fields.optional("kind", reader.string) {
            let kinds = TraceKind.entryKinds.map(\.description)
            guard kinds.contains(kind) else {
                throw reader.error(
                    fields["kind"], unknownName("trace record kind", kind, known: kinds),
                    at: fields.path("kind"))
            }
            match.kind = kind
        }
        if let task = fields["task"] {
            let name = try reader.string(task, at: fields.path("task"))
            match.task = Expectation.Subject(
                name: name, keys: try requireKeys([name], node: task, at: fields.path("task")))
        }
        if let worker = try fields.optional("worker", reader.string) {
            guard workerNames.contains(worker) else {
                throw reader.error(
                    fields["worker"],
                    "no worker is named '\(worker)'\(didYouMean(worker, among: workerNames))",
                    at: fields.path("worker"))
            }
            match.worker = worker
        }
        if let wire = try fields.optional("message", reader.string) {
            guard let kind = MessageKind.allCases.first(where: { $0.wireName == wire }) else {
                throw reader.error(
                    fields["message"],
                    unknownName("message", wire, known: MessageKind.allCases.map(\.wireName)),
                    at: fields.path("message"))
            }
            match.message = kind.name
        }
        match.from = try fields.optional("from", reader.string)
        match.to = try fields.optional("to", reader.string)
        if let state = try fields.optional("state", reader.string) {
            guard WorkerTaskReport.answerNames.contains(state) else {
                throw reader.error(
                    fields["state"],
                    unknownName("state", state, known: WorkerTaskReport.answerNames),
                    at: fields.path("state"))
            }
            match.state = state
        }
        return match
    }
}
