import Foundation

/// Turns a WfCommons workflow trace (WfFormat 1.4 or 1.5) into a scenario file: its tasks with
/// their recorded runtimes, dependencies from parents, outputs from file sizes, and a cluster
/// from the recorded machines unless one is given.
public enum WfCommonsImporter {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// One imported task.
    public struct Task: Sendable, Hashable {
        public var key: String
        public var parents: [String]
        /// The children the trace lists, if it does: they must be the tasks naming this one
        /// as a parent.
        public var children: [String]?
        public var runtime: Double
        public var outputBytes: Int64
    }

    /// The workflow as read: tasks in file order, and the machines that ran them.
    public struct Workflow: Sendable {
        public var name: String
        public var tasks: [Task]
        /// (name, cores) of each machine that ran a task, in first-use order.
        public var machines: [(name: String, cores: Int)]
        public var recordedMakespan: Double?

        /// The longest chain of runtimes, in seconds: no schedule can finish sooner.
        public var criticalPath: Double {
            var finish: [String: Double] = [:]
            var remaining = tasks
            // Tasks may be listed in any order: settle them as their parents settle.
            while !remaining.isEmpty {
                let before = remaining.count
                remaining.removeAll { task in
                    guard task.parents.allSatisfy({ finish[$0] != nil }) else { return false }
                    finish[task.key] = (task.parents.map { finish[$0]! }.max() ?? 0) + task.runtime
                    return true
                }
                if remaining.count == before { break }
            }
            return finish.values.max() ?? 0
        }

        public var totalWork: Double { tasks.reduce(0) { $0 + $1.runtime } }
    }

    /// Reads a WfFormat document, refusing what it cannot take as written: JSON that does not
    /// parse (with its line and column), a schema version other than 1.4 or 1.5, a value of the
    /// wrong type or out of range, an output file with no size, and a graph that is not one
    /// (a duplicate id, a parent that does not exist, a task that is its own parent or
    /// ancestor, parents and children that disagree).
    public static func read(_ data: Data, file: String) throws -> Workflow {
        let values = WfCommonsValues(file: file)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw syntaxProblem(error, in: data, file: file)
        }
        let root = try values.object(object, "the document")
        if let version = root["schemaVersion"] {
            let text = try values.string(version, "schemaVersion")
            guard text == "1.4" || text == "1.5" else {
                throw values.problem(
                    "schemaVersion: this importer reads WfFormat 1.4 and 1.5, not \(text)")
            }
        }
        let workflow = try values.object(root["workflow"], "workflow")
        let name = try root["name"].map { try values.string($0, "name") } ?? file
        let read: Workflow
        if workflow["specification"] != nil || workflow["execution"] != nil {
            read = try readVersion15(name: name, workflow, values)
        } else if workflow["tasks"] != nil {
            read = try readVersion14(name: name, workflow, values)
        } else {
            throw values.problem(
                "workflow: expected specification and execution (WfFormat 1.5) or tasks (1.4)")
        }
        try checkGraph(read.tasks, values)
        return read
    }

    private static func readVersion15(
        name: String, _ workflow: [String: Any], _ values: WfCommonsValues
    ) throws -> Workflow {
        let specification = try values.object(
            workflow["specification"], "workflow.specification")
        let execution = try values.object(workflow["execution"], "workflow.execution")
        var sizes: [String: Int64] = [:]
        for (index, item) in try values.objects(
            specification["files"] ?? [Any](), "workflow.specification.files"
        ).enumerated() {
            let id = try values.string(item["id"], "workflow.specification.files[\(index)].id")
            sizes[id] =
                try values.whole(item["sizeInBytes"], "file '\(id)': sizeInBytes", minimum: 0)
                ?? 0
        }
        var runtimes: [String: Double] = [:]
        var machineOf: [String: String] = [:]
        for (index, item) in try values.objects(
            execution["tasks"] ?? [Any](), "workflow.execution.tasks"
        ).enumerated() {
            let id = try values.string(item["id"], "workflow.execution.tasks[\(index)].id")
            runtimes[id] = try values.runtime(
                item["runtimeInSeconds"], "task '\(id)': runtimeInSeconds")
            machineOf[id] = try values.strings(item["machines"], "task '\(id)': machines")?.first
        }
        var cores: [String: Int] = [:]
        for (index, item) in try values.objects(
            execution["machines"] ?? [Any](), "workflow.execution.machines"
        ).enumerated() {
            let node = try values.string(
                item["nodeName"], "workflow.execution.machines[\(index)].nodeName")
            let cpu = try item["cpu"].map { try values.object($0, "machine '\(node)': cpu") }
            let count = try values.whole(
                cpu?["coreCount"], "machine '\(node)': cpu.coreCount", minimum: 1)
            cores[node] = Int(min(count ?? 1, Int64(NodeReader.largestFamily)))
        }
        let specified = try values.objects(
            specification["tasks"], "workflow.specification.tasks")
        guard !specified.isEmpty else {
            throw values.problem("workflow.specification.tasks: expected at least one task")
        }
        var tasks: [Task] = []
        var machines: [(name: String, cores: Int)] = []
        for (index, item) in specified.enumerated() {
            let id = try taskID(item, index: index, in: "workflow.specification.tasks", values)
            guard let runtime = runtimes[id] else {
                throw values.problem(
                    "task '\(id)': no runtimeInSeconds in workflow.execution.tasks")
            }
            var output: Int64 = 0
            for name in try values.strings(item["outputFiles"], "task '\(id)': outputFiles") ?? [] {
                guard let size = sizes[name] else {
                    throw values.problem(
                        "task '\(id)': output file '\(name)' is not in workflow.specification.files"
                    )
                }
                output = try adding(size, to: output, task: id, values)
            }
            tasks.append(try task(item, id: id, runtime: runtime, output: output, values))
            if let machine = machineOf[id], !machines.contains(where: { $0.name == machine }) {
                guard let count = cores[machine] else {
                    throw values.problem(
                        "task '\(id)': machine '\(machine)' is not in workflow.execution.machines")
                }
                machines.append((machine, count))
            }
        }
        return Workflow(
            name: name, tasks: tasks, machines: machines,
            recordedMakespan: try values.number(
                execution["makespanInSeconds"], "workflow.execution.makespanInSeconds"))
    }

    private static func readVersion14(
        name: String, _ workflow: [String: Any], _ values: WfCommonsValues
    ) throws -> Workflow {
        var tasks: [Task] = []
        var machines: [(name: String, cores: Int)] = []
        for (index, item) in try values.objects(workflow["tasks"], "workflow.tasks").enumerated() {
            let id = try taskID(item, index: index, in: "workflow.tasks", values)
            guard
                let runtime = try values.runtime(
                    item["runtimeInSeconds"] ?? item["runtime"], "task '\(id)': runtimeInSeconds")
            else {
                throw values.problem("task '\(id)': no runtimeInSeconds (or runtime)")
            }
            var output: Int64 = 0
            for (position, entry) in try values.objects(
                item["files"] ?? [Any](), "task '\(id)': files"
            ).enumerated() where entry["link"] as? String == "output" {
                let what = "task '\(id)': files[\(position)].sizeInBytes"
                guard
                    let size = try values.whole(
                        entry["sizeInBytes"] ?? entry["size"], what, minimum: 0)
                else { throw values.problem("\(what): missing") }
                output = try adding(size, to: output, task: id, values)
            }
            tasks.append(try task(item, id: id, runtime: runtime, output: output, values))
            if let machine = try item["machine"].map({
                try values.string($0, "task '\(id)': machine")
            }), !machines.contains(where: { $0.name == machine }) {
                machines.append((machine, 1))
            }
        }
        guard !tasks.isEmpty else {
            throw values.problem("workflow.tasks: expected at least one task")
        }
        return Workflow(
            name: name, tasks: tasks, machines: machines,
            recordedMakespan: try values.number(workflow["makespan"], "workflow.makespan"))
    }

    /// A task's id (or, lacking one, its name).
    private static func taskID(
        _ item: [String: Any], index: Int, in list: String, _ values: WfCommonsValues
    ) throws -> String {
        try values.string(item["id"] ?? item["name"], "\(list)[\(index)].id")
    }

    /// A task as read: its parents, and its children if listed.
    private static func task(
        _ item: [String: Any], id: String, runtime: Double, output: Int64,
        _ values: WfCommonsValues
    ) throws -> Task {
        Task(
            key: id, parents: try values.strings(item["parents"], "task '\(id)': parents") ?? [],
            children: try values.strings(item["children"], "task '\(id)': children"),
            runtime: runtime, outputBytes: output)
    }

    /// A task's outputs summed, refusing a sum past Int64.
    private static func adding(
        _ size: Int64, to total: Int64, task: String, _ values: WfCommonsValues
    ) throws -> Int64 {
        let (sum, overflow) = total.addingReportingOverflow(size)
        guard !overflow else {
            throw values.problem("task '\(task)': its output files add up past \(Int64.max) bytes")
        }
        return sum
    }

    /// The graph is one: ids unique, parents known and not the task itself, children (where
    /// a task lists them) the tasks that name it as a parent, and no cycle.
    private static func checkGraph(_ tasks: [Task], _ values: WfCommonsValues) throws {
        var index: [String: Int] = [:]
        for (position, task) in tasks.enumerated() {
            guard index.updateValue(position, forKey: task.key) == nil else {
                throw values.problem("task '\(task.key)': the id is used by another task")
            }
        }
        var remainingParents = [Int](repeating: 0, count: tasks.count)
        var children = [[Int]](repeating: [], count: tasks.count)
        for (position, task) in tasks.enumerated() {
            // In the order written (a parent listed twice counts once), so the first problem
            // reported is the same in every process.
            var seen = Set<String>()
            for parent in task.parents where seen.insert(parent).inserted {
                guard parent != task.key else {
                    throw values.problem("task '\(task.key)': it is its own parent")
                }
                guard let parentIndex = index[parent] else {
                    throw values.problem(
                        "task '\(task.key)': parent '\(parent)' is not a task of the workflow")
                }
                children[parentIndex].append(position)
                remainingParents[position] += 1
            }
        }
        // Kahn's order: what is left when no task is free any more lies on a cycle.
        var free = tasks.indices.filter { remainingParents[$0] == 0 }
        var settled = 0
        while let next = free.popLast() {
            settled += 1
            for child in children[next] {
                remainingParents[child] -= 1
                if remainingParents[child] == 0 { free.append(child) }
            }
        }
        if settled < tasks.count {
            let stuck = tasks.indices.first { remainingParents[$0] > 0 }!
            throw values.problem(
                "task '\(tasks[stuck].key)': its parents lead back to it (a cycle)")
        }
        for (position, task) in tasks.enumerated() {
            guard let listed = task.children else { continue }
            let named = Set(children[position].map { tasks[$0].key })
            guard Set(listed) == named else {
                let extra = Set(listed).subtracting(named).sorted()
                let missing = named.subtracting(listed).sorted()
                throw values.problem(
                    "task '\(task.key)': its children \(extra.isEmpty ? "" : "name \(extra) ")"
                        + "\(extra.isEmpty || missing.isEmpty ? "" : "and ")"
                        + "\(missing.isEmpty ? "" : "leave out \(missing) ")"
                        + "against the tasks that name it as a parent")
            }
        }
    }

    /// A JSON syntax error at its line and column (the parser names a byte offset).
    private static func syntaxProblem(_ error: any Error, in data: Data, file: String) -> Problem {
        let message = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)"
        var offset = data.count
        if let range = message.range(of: "around character "),
            let number = Int(message[range.upperBound...].prefix { $0.isNumber })
        {
            offset = min(number, data.count)
        }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        let reason =
            message.range(of: " around character").map { String(message[..<$0.lowerBound]) }
            ?? message
        return Problem(description: "\(file):\(line):\(column): error: not JSON: \(reason)")
    }

    /// The scenario file for `workflow` (see ``scenarioText(_:source:workers:threads:)``),
    /// checked by the scenario loader before anyone writes it: a trace the reader took whole
    /// still cannot become a scenario the loader refuses.
    public static func scenario(
        _ workflow: Workflow, source: String, workers: Int?, threads: Int?
    ) throws -> (text: String, scenario: Scenario) {
        let text = scenarioText(workflow, source: source, workers: workers, threads: threads)
        do {
            return (text, try ScenarioLoader.load(text, file: source))
        } catch {
            throw Problem(
                description: "\(source): error: the imported scenario does not load: \(error)")
        }
    }

    /// The scenario file for `workflow`: a cluster of `workers` × `threads` when given, else the
    /// recorded machines; expectations that every task finishes and that the makespan is no
    /// shorter than the critical path or the total work over the slots.
    public static func scenarioText(
        _ workflow: Workflow, source: String, workers: Int?, threads: Int?
    ) -> String {
        var lines: [String] = []
        let base = source.hasSuffix(".json") ? String(source.dropLast(5)) : source
        lines.append("name: \(quote("wfcommons-\(base)"))")
        lines.append("description: imported from \(quote(source)) (WfCommons)")
        lines.append("cluster:")
        lines.append("  workers:")
        var slots = 0
        if workers != nil || threads != nil || workflow.machines.isEmpty {
            let count = workers ?? max(workflow.machines.count, 1)
            let each = threads ?? 1
            slots = count * each
            lines.append("    - {count: \(count), prefix: w, threads: \(each)}")
        } else {
            for machine in workflow.machines {
                slots += machine.cores
                lines.append("    - {name: \(quote(machine.name)), threads: \(machine.cores)}")
            }
        }
        lines.append("tasks:")
        for task in workflow.tasks {
            var fields = ["key: \(quote(task.key))"]
            if !task.parents.isEmpty {
                fields.append("deps: [\(task.parents.map(quote).joined(separator: ", "))]")
            }
            fields.append("duration: \(milliseconds(task.runtime))")
            fields.append("output: \(task.outputBytes)")
            lines.append("  - {\(fields.joined(separator: ", "))}")
        }
        let bound = max(workflow.criticalPath, workflow.totalWork / Double(max(slots, 1)))
        lines.append("expect:")
        lines.append("  - {completes: true}")
        lines.append(
            "  # no schedule beats the critical path (\(seconds(workflow.criticalPath))) or total work / slots (\(seconds(workflow.totalWork / Double(max(slots, 1)))))"
        )
        lines.append("  - {makespan: {above: \(milliseconds(bound - 0.001))}}")
        for task in workflow.tasks
        where !workflow.tasks.contains(where: { $0.parents.contains(task.key) }) {
            lines.append("  - {future: \(quote(task.key)), status: finished}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ seconds: Double) -> String {
        "\(Int64((max(seconds, 0) * 1000).rounded()))ms"
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.1fs", value)
    }

    private static func quote(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return plain && !text.isEmpty && !text.first!.isNumber
            ? text : "'\(text.replacingOccurrences(of: "'", with: "''"))'"
    }
}
