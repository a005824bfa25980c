@_spi(PlantedBugs) import Scheduling
import Yams

/// Reads scenario files: YAML in, a checked ``Scenario`` out, or a located ``ScenarioError``.
public enum ScenarioLoader {
    /// Reads and checks the scenario in `text`; `file` names it in messages; `policies` are
    /// the policy names it may use (the shipped ones unless a program adds its own).
    public static func load(
        _ text: String, file: String, policies: [String] = PolicyRegistry.names
    ) throws(ScenarioError) -> Scenario {
        switch aliasProblem(text) {
        case .yaml(let error)?:
            throw syntaxError(error, file: file)
        case .inKey(let mark)?:
            throw ScenarioError(
                file: file, line: mark.line, column: mark.column,
                message:
                    "an alias in a mapping key: keys are plain text (aliases belong in values)",
                path: "")
        case nil:
            break
        }
        let node: Node?
        do {
            // Scalars are read as text and parsed by the reader (which knows what each key
            // expects), so Yams need not guess their types with its regular expressions.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ScenarioError(file: file, line: 0, column: 0, message: "\(error)", path: "")
        }
        guard let node else {
            throw ScenarioError(
                file: file, line: 0, column: 0, message: "the file is empty", path: "")
        }
        if let far = nodeExpandingTooFar(node) {
            throw ScenarioError(
                file: file, line: far.mark?.line ?? 0, column: far.mark?.column ?? 0,
                message:
                    "the YAML expands to more than \(largestExpansion) nodes once its aliases are spelled out (aliases nested in aliases?)",
                path: "")
        }
        var loader = Reading(reader: NodeReader(file: file), knownPolicies: policies)
        return try loader.scenario(node, file: file)
    }

    /// A YAML reader error (a character YAML does not allow) at its line and column; the
    /// reader counts its offset in characters.
    private static func readerError(
        _ problem: String, at offset: Int?, in yaml: String, file: String
    ) -> ScenarioError {
        guard let offset else {
            return ScenarioError(
                file: file, line: 0, column: 0, message: "invalid YAML: \(problem)", path: "")
        }
        let before = yaml.prefix(offset)
        let lineStart =
            before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return ScenarioError(
            file: file, line: before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 },
            column: before.distance(from: lineStart, to: before.endIndex) + 1,
            message: "invalid YAML: \(problem)", path: "")
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ScenarioError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            ScenarioError(
                file: file, line: mark.line, column: mark.column,
                message: "invalid YAML: \(problem)",
                path: "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            ScenarioError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key '\(duplicates.joined(separator: "', '"))' in this mapping",
                path: "")
        case .reader(let problem, let offset, _, let yaml):
            readerError(problem, at: offset, in: yaml, file: file)
        default:
            ScenarioError(
                file: file, line: 0, column: 0, message: "invalid YAML: \(error)", path: "")
        }
    }
}
