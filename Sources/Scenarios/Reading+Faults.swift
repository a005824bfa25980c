import Cluster
import Scheduling
import Yams

/// Faults, and the messages a `hold` delays.
extension Reading {
    func faults(
        _ node: Node?, workers: [WorkerSetup], times ranges: inout [Int: ClosedRange<Nanoseconds>]
    )
        throws(ScenarioError) -> [Fault]
    {
        guard let node else { return [] }
        var names = Set(workers.map(\.name))
        var faults: [Fault] = []
        for (index, item) in try reader.list(node, at: "faults").enumerated() {
            let path = "faults[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.fault)
            let range = try fields.optional("at", reader.durationRange) ?? 0...0
            let at = range.lowerBound
            if range.count > 1 { ranges[faults.count] = range }
            func worker(_ key: String) throws(ScenarioError) -> String {
                let name = try reader.string(try fields.required(key), at: fields.path(key))
                guard names.contains(name) else {
                    let hint = didYouMean(name, among: names.sorted())
                    throw reader.error(
                        fields[key], "no worker is named '\(name)'\(hint)", at: fields.path(key))
                }
                return name
            }
            func window() throws(ScenarioError) -> Nanoseconds {
                try reader.duration(try fields.required("for"), at: fields.path("for"))
            }
            func endpoints(_ key: String) throws(ScenarioError) -> (Endpoint, Endpoint) {
                let list = try reader.list(try fields.required(key), at: fields.path(key))
                guard list.count == 2 else {
                    throw reader.error(
                        fields[key], "expected two endpoints, like [a, scheduler]",
                        at: fields.path(key))
                }
                return (
                    try endpoint(list[0], at: "\(fields.path(key))[0]", workers: names),
                    try endpoint(list[1], at: "\(fields.path(key))[1]", workers: names)
                )
            }
            if let hold = fields["hold"] {
                faults.append(.hold(try holdRule(hold, fields: fields, at: at, names: names)))
            } else if fields.has("kill") {
                faults.append(.kill(worker: try worker("kill"), at: at))
            } else if let add = fields["add"] {
                let specs = try workerSpec(add, at: fields.path("add"), allowCount: false)
                names.insert(specs[0].name)
                faults.append(.add(specs[0], at: at))
            } else if fields.has("slow") {
                let factor = try reader.double(
                    try fields.required("factor"), at: fields.path("factor"))
                guard factor > 0, factor.isFinite else {
                    throw reader.error(
                        fields["factor"], "expected a positive factor", at: fields.path("factor"))
                }
                faults.append(
                    .slow(
                        worker: try worker("slow"), factor: factor, from: at,
                        until: at.saturatingAdd(try window())))
            } else if let fail = fields["fail"] {
                let key = try requireKeys(
                    [try reader.string(fail, at: fields.path("fail"))], node: fail,
                    at: fields.path("fail"))
                let attempts: FailedAttempts =
                    try fields.optional("attempts") { node, path throws(ScenarioError) in
                        if case .sequence = node {
                            return .listed(
                                try reader.list(node, at: path).enumerated().map {
                                    position, item throws(ScenarioError) in
                                    try reader.int(item, at: "\(path)[\(position)]", minimum: 1)
                                })
                        }
                        return .first(try reader.int(node, at: path, minimum: 1))
                    } ?? [1]
                let error = try fields.optional("error", reader.string) ?? "InjectedError"
                for member in key {
                    faults.append(.failTask(key: member, attempts: attempts, error: error))
                }
            } else if let probability = fields["fail_probability"] {
                let p = try reader.double(probability, at: fields.path("fail_probability"))
                guard (0...1).contains(p) else {
                    throw reader.error(
                        probability, "expected a probability between 0 and 1",
                        at: fields.path("fail_probability"))
                }
                faults.append(
                    .failRandomly(
                        probability: p,
                        error: try fields.optional("error", reader.string) ?? "InjectedError"))
            } else if fields.has("partition") {
                let (a, b) = try endpoints("partition")
                faults.append(.partition(a, b, from: at, until: at.saturatingAdd(try window())))
            } else if fields.has("delay") {
                let (a, b) = try endpoints("delay")
                let by = try reader.duration(try fields.required("by"), at: fields.path("by"))
                faults.append(
                    .delayLink(a, b, by: by, from: at, until: at.saturatingAdd(try window())))
            } else {
                throw reader.error(
                    item,
                    "expected one of \(ScenarioFormat.faultKinds.joined(separator: ", "))",
                    at: path)
            }
        }
        return faults
    }

    /// `{hold: {message, from, to, key}, by, all}`: delays matching messages.
    func holdRule(_ node: Node, fields: Fields, at: Nanoseconds, names: Set<String>)
        throws(ScenarioError) -> Hold
    {
        let path = fields.path("hold")
        let match = try reader.fields(node, at: path, table: ScenarioFormat.hold)
        let wire = try reader.string(try match.required("message"), at: "\(path).message")
        let kinds = ScenarioFormat.holdableMessages
        guard let kind = kinds.first(where: { $0.wireName == wire }) else {
            throw reader.error(
                match["message"], unknownName("message", wire, known: kinds.map(\.wireName)),
                at: "\(path).message")
        }
        func endpoint(_ key: String) throws(ScenarioError) -> Endpoint? {
            guard let value = match[key] else { return nil }
            return try self.endpoint(value, at: "\(path).\(key)", workers: names)
        }
        var key: String?
        if let value = match["key"] {
            guard kind.namesTasks else {
                throw reader.error(
                    match.place("key"),
                    "\(kind.wireName) messages name no task, so a hold with key: would never fire",
                    at: "\(path).key")
            }
            let name = try reader.string(value, at: "\(path).key")
            key = try requireKeys([name], node: value, at: "\(path).key").count == 1 ? name : nil
            if key == nil {
                throw reader.error(value, "expected one task, not a family", at: "\(path).key")
            }
        }
        return Hold(
            message: kind, from: try endpoint("from"), to: try endpoint("to"), key: key,
            by: try reader.duration(try fields.required("by"), at: fields.path("by")), after: at,
            all: try fields.optional("all", reader.bool) ?? false)
    }

    /// `client`, `scheduler` or a worker's name: one end of a link, or of a message.
    func endpoint(_ node: Node, at path: String, workers names: Set<String>)
        throws(ScenarioError) -> Endpoint
    {
        let name = try reader.string(node, at: path)
        switch name {
        case "client": return .client
        case "scheduler": return .scheduler
        case _ where names.contains(name): return .worker(name)
        default:
            throw reader.error(node, "'\(name)' is not client, scheduler or a worker", at: path)
        }
    }
}
