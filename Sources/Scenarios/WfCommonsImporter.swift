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

    /// Reads a WfFormat document.
    public static func read(_ data: Data, file: String) throws -> Workflow {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem(description: "\(file): error: not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let workflow = root["workflow"] as? [String: Any]
        else {
            throw Problem(
                description: "\(file): error: expected a WfFormat document with a 'workflow' object"
            )
        }
        let name = root["name"] as? String ?? file
        if let specification = workflow["specification"] as? [String: Any],
            let execution = workflow["execution"] as? [String: Any]
        {
            return try readVersion15(name: name, specification, execution, file: file)
        }
        if let tasks = workflow["tasks"] as? [[String: Any]] {
            return try readVersion14(name: name, tasks, workflow, file: file)
        }
        throw Problem(
            description:
                "\(file): error: expected workflow.specification and workflow.execution (WfFormat 1.5) or workflow.tasks (1.4)"
        )
    }

    private static func readVersion15(
        name: String, _ specification: [String: Any], _ execution: [String: Any], file: String
    ) throws -> Workflow {
        var sizes: [String: Int64] = [:]
        for item in specification["files"] as? [[String: Any]] ?? [] {
            if let id = item["id"] as? String {
                sizes[id] = (item["sizeInBytes"] as? NSNumber)?.int64Value ?? 0
            }
        }
        var runtimes: [String: Double] = [:]
        var machineOf: [String: String] = [:]
        for item in execution["tasks"] as? [[String: Any]] ?? [] {
            guard let id = item["id"] as? String else { continue }
            runtimes[id] = (item["runtimeInSeconds"] as? NSNumber)?.doubleValue
            machineOf[id] = (item["machines"] as? [String])?.first
        }
        var cores: [String: Int] = [:]
        for item in execution["machines"] as? [[String: Any]] ?? [] {
            guard let node = item["nodeName"] as? String else { continue }
            cores[node] =
                ((item["cpu"] as? [String: Any])?["coreCount"] as? NSNumber)?.intValue ?? 1
        }
        guard let specified = specification["tasks"] as? [[String: Any]], !specified.isEmpty else {
            throw Problem(
                description: "\(file): error: workflow.specification.tasks is missing or empty")
        }
        var tasks: [Task] = []
        var machines: [(name: String, cores: Int)] = []
        for item in specified {
            guard let id = item["id"] as? String ?? item["name"] as? String else {
                throw Problem(description: "\(file): error: a task has no id")
            }
            guard let runtime = runtimes[id] else {
                throw Problem(
                    description:
                        "\(file): error: task '\(id)' has no runtimeInSeconds in workflow.execution.tasks"
                )
            }
            let outputs = item["outputFiles"] as? [String] ?? []
            tasks.append(
                Task(
                    key: id, parents: item["parents"] as? [String] ?? [], runtime: runtime,
                    outputBytes: outputs.reduce(0) { $0 + (sizes[$1] ?? 0) }))
            if let machine = machineOf[id], !machines.contains(where: { $0.name == machine }) {
                machines.append((machine, cores[machine] ?? 1))
            }
        }
        return Workflow(
            name: name, tasks: tasks, machines: machines,
            recordedMakespan: (execution["makespanInSeconds"] as? NSNumber)?.doubleValue)
    }

    private static func readVersion14(
        name: String, _ items: [[String: Any]], _ workflow: [String: Any], file: String
    ) throws -> Workflow {
        var tasks: [Task] = []
        var machines: [(name: String, cores: Int)] = []
        for item in items {
            guard let id = item["id"] as? String ?? item["name"] as? String else {
                throw Problem(description: "\(file): error: a task has no name")
            }
            let runtime =
                (item["runtimeInSeconds"] as? NSNumber ?? item["runtime"] as? NSNumber)?.doubleValue
                ?? 0
            var output: Int64 = 0
            for entry in item["files"] as? [[String: Any]] ?? []
            where entry["link"] as? String == "output" {
                output +=
                    (entry["sizeInBytes"] as? NSNumber ?? entry["size"] as? NSNumber)?.int64Value
                    ?? 0
            }
            tasks.append(
                Task(
                    key: id, parents: item["parents"] as? [String] ?? [], runtime: runtime,
                    outputBytes: output))
            if let machine = item["machine"] as? String,
                !machines.contains(where: { $0.name == machine })
            {
                machines.append((machine, 1))
            }
        }
        return Workflow(
            name: name, tasks: tasks, machines: machines,
            recordedMakespan: (workflow["makespan"] as? NSNumber)?.doubleValue)
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
