import Scheduling
import Yams

/// Reads a YAML node tree with a location for every error: file, line, column, path.
///
/// Yams reports places only for syntax errors and ignores unknown keys when decoding, so
/// scenarios are read from the node tree by hand: every value is checked against the type the
/// key expects, and every key against the keys the mapping allows.
struct NodeReader {
    let file: String

    func error(_ node: Node?, _ message: String, at path: String) -> ScenarioError {
        ScenarioError(
            file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0,
            message: message, path: path)
    }

    /// A mapping's entries, checked against its table: no unknown keys (with a did-you-mean),
    /// no duplicates.
    func fields(_ node: Node, at path: String, table: KeyTable) throws(ScenarioError) -> Fields {
        let allowed = table.names
        guard case .mapping(let mapping) = node else {
            throw error(
                node, "expected a mapping with keys \(allowed.joined(separator: ", "))", at: path)
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(keyNode, "expected a key name", at: path)
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                let hint =
                    didYouMean(key, among: allowed)
                throw error(
                    keyNode,
                    "unknown key '\(key)'\(hint) (allowed: \(allowed.joined(separator: ", ")))",
                    at: path)
            }
            if entries.contains(where: { $0.key == key }) {
                throw error(keyNode, "duplicate key '\(key)'", at: path)
            }
            entries.append((key, keyNode, value))
        }
        return Fields(node: node, path: path, entries: entries, reader: self)
    }

    func list(_ node: Node, at path: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(node, "expected a list", at: path)
        }
        return Array(sequence)
    }

    func string(_ node: Node, at path: String) throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error(node, "expected a text value", at: path)
        }
        return scalar.string
    }

    /// One name, or a list of names.
    func strings(_ node: Node, at path: String) throws(ScenarioError) -> [String] {
        if case .sequence = node {
            return try list(node, at: path).enumerated().map { index, item throws(ScenarioError) in
                try string(item, at: "\(path)[\(index)]")
            }
        }
        return [try string(node, at: path)]
    }

    func int(_ node: Node, at path: String, minimum: Int = Int.min, maximum: Int = Int.max)
        throws(ScenarioError) -> Int
    {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error(node, "expected a whole number", at: path)
        }
        guard value >= minimum else {
            throw error(node, "expected a whole number of at least \(minimum)", at: path)
        }
        guard value <= maximum else {
            throw error(node, "expected a whole number of at most \(maximum)", at: path)
        }
        return value
    }

    /// The most tasks (or workers) one `count:` or generator may make.
    static let largestFamily = 10_000_000
    /// The most threads one worker may have: far past any machine, and small enough that a
    /// cluster's thread and slot counts stay far from overflowing.
    static let mostThreads = 1 << 20

    func double(_ node: Node, at path: String) throws(ScenarioError) -> Double {
        guard case .scalar(let scalar) = node else {
            throw error(node, "expected a number", at: path)
        }
        if ["inf", ".inf", "infinity"].contains(scalar.string.lowercased()) { return .infinity }
        guard let value = Double(scalar.string), !value.isNaN else {
            throw error(node, "expected a number", at: path)
        }
        return value
    }

    func bool(_ node: Node, at path: String) throws(ScenarioError) -> Bool {
        guard case .scalar(let scalar) = node else {
            throw error(node, "expected true or false", at: path)
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "expected true or false", at: path)
        }
    }

    /// A fraction of a memory limit, such as `0.8`, or `false` for none.
    func threshold(_ node: Node, at path: String) throws(ScenarioError) -> Double? {
        if case .scalar(let scalar) = node, ["false", "no", "off"].contains(scalar.string) {
            return nil
        }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value > 0,
            value <= 1
        else {
            throw error(
                node, "expected a fraction of the memory limit (0 < x ≤ 1) or false", at: path)
        }
        return value
    }

    func duration(_ node: Node, at path: String) throws(ScenarioError) -> Nanoseconds {
        try scalar(
            node, at: path, parse: parseDuration,
            expected: "a duration like 10ms (units ns, us, ms, s, m, h)")
    }

    /// A duration, or bounds to draw one from: `{uniform: [low, high]}`.
    func durationRange(_ node: Node, at path: String) throws(ScenarioError) -> ClosedRange<
        Nanoseconds
    > {
        if case .scalar = node {
            let value = try duration(node, at: path)
            return value...value
        }
        let fields = try fields(node, at: path, table: ScenarioFormat.uniformBounds)
        let value = try fields.required("uniform")
        let at = fields.path("uniform")
        let bounds = try list(value, at: at)
        guard bounds.count == 2 else { throw error(value, "expected [low, high]", at: at) }
        let low = try duration(bounds[0], at: "\(at)[0]")
        let high = try duration(bounds[1], at: "\(at)[1]")
        guard low <= high else { throw error(value, "expected low ≤ high", at: at) }
        return low...high
    }

    func size(_ node: Node, at path: String) throws(ScenarioError) -> Int64 {
        try scalar(
            node, at: path, parse: parseSize,
            expected: "a size like 10MB (units B, KB, MB, GB, KiB, MiB, GiB)")
    }

    func bandwidth(_ node: Node, at path: String) throws(ScenarioError) -> Int64 {
        try scalar(node, at: path, parse: parseBandwidth, expected: "a bandwidth like 1GB/s")
    }

    /// A scalar `parse` reads, or an error saying what was `expected`.
    private func scalar<Value>(
        _ node: Node, at path: String, parse: (String) -> Value?, expected: String
    ) throws(ScenarioError) -> Value {
        guard case .scalar(let scalar) = node, let value = parse(scalar.string) else {
            throw error(node, "expected \(expected)", at: path)
        }
        return value
    }
}

/// The checked entries of one mapping.
struct Fields {
    let node: Node
    let path: String
    let entries: [(key: String, keyNode: Node, value: Node)]
    let reader: NodeReader

    subscript(key: String) -> Node? { entries.first { $0.key == key }?.value }

    func has(_ key: String) -> Bool { self[key] != nil }

    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func required(_ key: String) throws(ScenarioError) -> Node {
        guard let value = self[key] else {
            throw reader.error(node, "missing key '\(key)'", at: path)
        }
        return value
    }

    /// Reads `key` with `read` if present.
    func optional<T>(_ key: String, _ read: (Node, String) throws(ScenarioError) -> T)
        throws(ScenarioError) -> T?
    {
        guard let value = self[key] else { return nil }
        return try read(value, path(key))
    }

    func place(_ key: String) -> Node { entries.first { $0.key == key }?.keyNode ?? node }
}
