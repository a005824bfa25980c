import Foundation
import Scheduling
import Yams

/// Reading a scenario file from disk, with a located message for each way it can fail before
/// the YAML is read: a directory, an unreadable file, bytes that are not UTF-8.
extension ScenarioLoader {
    /// Reads and loads the scenario file at `path`.
    public static func load(
        contentsOf path: String, policies: [String] = PolicyRegistry.names
    ) throws(ScenarioError) -> Scenario {
        try load(try text(ofFile: path), file: path, policies: policies)
    }

    /// The text of the file at `path`.
    public static func text(ofFile path: String) throws(ScenarioError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            throw ScenarioError(
                file: path, line: 0, column: 0,
                message: "this is a directory; give the scenario files in it (dir/*.yaml)",
                path: "")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                file: path, line: 0, column: 0,
                message: FileManager.default.fileExists(atPath: path)
                    ? "cannot read the file (permissions?)" : "no such file", path: "")
        }
        return try text(of: data, file: path)
    }

    /// `data` as UTF-8 text; else an error at the first byte that is not UTF-8.
    public static func text(of data: Data, file: String) throws(ScenarioError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var line = 1
        var column = 1
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                let byte = data[data.startIndex + offset]
                throw ScenarioError(
                    file: file, line: line, column: column,
                    message: "the file is not UTF-8 text (byte 0x\(String(byte, radix: 16)))",
                    path: "")
            case .emptyInput:
                return String(decoding: data, as: UTF8.self)
            }
        }
    }

    /// What composing a file with its aliases spelled out would run into first: an alias in
    /// a mapping key (`*a: 1`, `[*a, *a]: 1`, `? {x: *a}`), or a YAML error. The composer
    /// compares a mapping's keys with their aliases spelled out, so nested aliases in a key
    /// would hang it before ``nodeExpandingTooFar(_:)`` could look, and it compares them for
    /// every mapping, erroneous or not. So a copy is composed first, each alias replaced by a
    /// plain word of its own as long as the alias (places in the file stay the same), which
    /// has nothing to spell out. `nil` when the file has no alias.
    static func aliasProblem(_ text: String) -> AliasProblem? {
        guard text.contains("*") else { return nil }
        var masked = ""
        masked.reserveCapacity(text.utf8.count)
        var words = Set<String>()
        var characters = text.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            // An alias as libyaml reads it: `*` then letters, digits, `-` or `_`.
            guard character == "*", let first = pending, isAnchorCharacter(first) else {
                masked.append(character)
                continue
            }
            var length = 1
            while let next = pending, isAnchorCharacter(next) {
                length += 1
                pending = characters.next()
            }
            // `~` and the count in base 36, padded to the alias's length (longer only past
            // 36 one-letter aliases, which shifts the columns after it on its line).
            let count = String(words.count, radix: 36)
            let word = "~" + String(repeating: "0", count: max(0, length - 1 - count.count)) + count
            words.insert(word)
            masked += word
        }
        guard !words.isEmpty else { return nil }
        let root: Node?
        do {
            root = try Yams.compose(yaml: masked, .basic)
        } catch let error as YamlError {
            return .yaml(error)
        } catch {
            return nil
        }
        func hasAlias(_ node: Node) -> Bool {
            switch node {
            case .scalar(let scalar): words.contains(scalar.string)
            case .sequence(let sequence): sequence.contains(where: hasAlias)
            case .mapping(let mapping): mapping.contains { hasAlias($0.key) || hasAlias($0.value) }
            case .alias: true
            }
        }
        func keyWithAlias(in node: Node) -> Mark? {
            switch node {
            case .scalar, .alias: return nil
            case .sequence(let sequence):
                for item in sequence { if let mark = keyWithAlias(in: item) { return mark } }
                return nil
            case .mapping(let mapping):
                for (key, value) in mapping {
                    if hasAlias(key) { return key.mark }
                    if let mark = keyWithAlias(in: key) ?? keyWithAlias(in: value) { return mark }
                }
                return nil
            }
        }
        return root.flatMap(keyWithAlias).map(AliasProblem.inKey)
    }

    enum AliasProblem {
        case inKey(Mark)
        case yaml(YamlError)
    }

    private static func isAnchorCharacter(_ character: Character) -> Bool {
        character.isASCII
            && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }

    /// The most nodes a scenario's YAML may expand to, aliases spelled out: more is a file of
    /// nested aliases (a "billion laughs"), which would take hours to read.
    static let largestExpansion = 20_000_000

    /// The node at which `root`, aliases expanded, passes ``largestExpansion`` nodes.
    ///
    /// An alias is the anchored node itself, place in the file included, so each list or
    /// mapping's expanded size is counted once, by its place, and reused: the count costs what
    /// the file's own nodes do, however far the aliases would expand.
    static func nodeExpandingTooFar(_ root: Node) -> Node? {
        // By place in the file (line and column in one number).
        var sizes: [Int: Int] = [:]
        var culprit: Node?
        func size(_ node: Node) -> Int {
            let place = node.mark.map { $0.line << 32 | $0.column }
            var total = 1
            switch node {
            case .mapping(let mapping):
                if let place, let known = sizes[place] { return known }
                for (key, value) in mapping {
                    total += size(key) + size(value)
                    if total > largestExpansion { break }
                }
            case .sequence(let sequence):
                if let place, let known = sizes[place] { return known }
                for item in sequence {
                    total += size(item)
                    if total > largestExpansion { break }
                }
            case .scalar, .alias:
                return 1
            }
            if total > largestExpansion, culprit == nil { culprit = node }
            total = min(total, largestExpansion + 1)
            if let place { sizes[place] = total }
            return total
        }
        _ = size(root)
        return culprit
    }
}
