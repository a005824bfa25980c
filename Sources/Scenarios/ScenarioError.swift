/// A problem with a scenario file, located like a compiler's diagnostic:
/// `file.yaml:7:15: error: expected a duration like 10ms at tasks[1].duration`.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem has no single place in the file.
    public var line: Int
    public var column: Int
    public var message: String
    /// Where in the scenario, such as `tasks[1].duration`; empty for the whole file.
    public var path: String

    public init(file: String, line: Int, column: Int, message: String, path: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.path = path
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        let at = path.isEmpty ? "" : " at \(path)"
        return "\(place): error: \(message)\(at)"
    }
}

/// "unknown policy 'x'; did you mean 'y'? (known: …)": a name that is none of `known`.
func unknownName(_ what: String, _ name: String, known: [String]) -> String {
    "unknown \(what) '\(name)'\(didYouMean(name, among: known)) (known: \(known.joined(separator: ", ")))"
}

/// "; did you mean 'x'?" when one of `candidates` is close to `word`, else nothing: the tail
/// of an error message about a name that is not known.
func didYouMean(_ word: String, among candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
func suggestion(for word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: b.count)
        for (j, y) in b.enumerated() {
            current[j + 1] = min(
                previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
