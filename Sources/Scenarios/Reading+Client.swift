import Yams

/// The client timeline, and the data its `scatter` actions place.
extension Reading {
    /// The data `scatter` actions place, as tasks that are never submitted, so that tasks can
    /// name them as dependencies (the actions themselves are read with the others).
    mutating func scatteredData(_ node: Node?) throws(ScenarioError) {
        guard let node else { return }
        for (index, item) in try reader.list(node, at: "client").enumerated() {
            let path = "client[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.clientAction)
            guard let value = fields["scatter"] else { continue }
            let size = try fields.optional("size", reader.size) ?? 8
            for name in try reader.strings(value, at: fields.path("scatter")) {
                // Scattered again (after a release, a new generation of the key): the same
                // data, so the same size.
                if scatteredKeys.contains(name) {
                    let first = tasks.first { $0.key == name }!
                    guard first.outputSize == size else {
                        throw reader.error(
                            fields.place("size"),
                            "'\(name)' was scattered with size \(first.outputSize) before; a key scattered again keeps its size",
                            at: path)
                    }
                    continue
                }
                var data = ScenarioTask(key: name, outputSize: size)
                data.scattered = true
                try add(data, node: item, at: path)
                scatteredKeys.insert(name)
            }
        }
    }

    /// The client timeline; `workers` are the names a scatter may place data on.
    mutating func actions(_ node: Node?, workers: [String]) throws(ScenarioError)
        -> [ClientAction]
    {
        let submittable = tasks.filter { !$0.scattered }.map(\.key)
        guard let node else { return [.submit(keys: submittable, at: 0)] }
        var actions: [ClientAction] = []
        for (index, item) in try reader.list(node, at: "client").enumerated() {
            let path = "client[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.clientAction)
            let at = try fields.optional("at", reader.duration) ?? 0
            let verbs = ScenarioFormat.clientVerbs.filter(fields.has)
            guard verbs.count == 1, let verb = verbs.first else {
                throw reader.error(
                    item,
                    "expected exactly one of \(ScenarioFormat.clientVerbs.joined(separator: ", "))",
                    at: path)
            }
            let value = fields[verb]!
            let names = try reader.strings(value, at: fields.path(verb))
            let keys =
                names == ["all"] && taskNodes["all"] == nil
                ? submittable : try requireKeys(names, node: value, at: fields.path(verb))
            for (option, owner) in [
                ("force", "cancel"), ("timeout", "wait or gather"), ("return_when", "wait"),
                ("name", "wait or gather"), ("size", "scatter"), ("workers", "scatter"),
            ]
            where fields.has(option) && !owner.contains(verb) {
                throw reader.error(fields.place(option), "\(option): goes with \(owner):", at: path)
            }
            switch verb {
            case "submit":
                if let data = keys.first(where: scatteredKeys.contains) {
                    throw reader.error(
                        value, "'\(data)' is scattered data, not a task to submit",
                        at: fields.path(verb))
                }
                actions.append(.submit(keys: keys, at: at))
            case "scatter":
                let targets = try fields.optional("workers", reader.strings) ?? []
                for (position, name) in targets.enumerated() where !workers.contains(name) {
                    let hint = didYouMean(name, among: workers)
                    throw reader.error(
                        fields["workers"], "no worker is named '\(name)'\(hint)",
                        at: "\(fields.path("workers"))[\(position)]")
                }
                let placed = Set(keys)
                for index in tasks.indices where placed.contains(tasks[index].key) {
                    if let earlier = scatterTargets[tasks[index].key], earlier != targets {
                        throw reader.error(
                            fields["workers"] ?? item,
                            "'\(tasks[index].key)' was scattered to \(earlier.isEmpty ? "any worker" : earlier.joined(separator: ", ")) before; a key scattered again goes where it went",
                            at: path)
                    }
                    scatterTargets[tasks[index].key] = targets
                    tasks[index].workers = targets
                }
                actions.append(.scatter(keys: keys, at: at))
            case "cancel":
                actions.append(
                    .cancel(
                        keys: keys, force: try fields.optional("force", reader.bool) ?? false,
                        at: at))
            case "release": actions.append(.release(keys: keys, at: at))
            default:
                var all = true
                if let returnWhen = try fields.optional("return_when", reader.string) {
                    guard ["all_completed", "first_completed"].contains(returnWhen) else {
                        throw reader.error(
                            fields["return_when"], "expected all_completed or first_completed",
                            at: fields.path("return_when"))
                    }
                    all = returnWhen == "all_completed"
                }
                actions.append(
                    .wait(
                        keys: keys, all: all,
                        timeout: try fields.optional("timeout", reader.duration),
                        name: try fields.optional("name", reader.string) ?? "\(verb)-\(index)",
                        at: at))
            }
        }
        return actions
    }
}
