import Foundation
import Scenarios
import Scheduling
import Testing

/// Ten thousand randomly mutated scenario files through the loader: each one loads, or fails
/// with a located error; none crashes or hangs.
@Suite struct ScenarioFuzzTests {
    static let fragments = [
        "{", "}", "[", "]", ":", ",", "-", " ", "\n", "\t", "'", "\"", "#", "&a", "*a", "!!int",
        "count: 3", "deps: [x]", "duration: 5", "10qs", "-1", "1e400", "nan", "inf", "null", "~",
        "key: ", "workers:", "tasks:", "0", "99999999999999999999", "{a: b}", "[1, 2]", "…", "é",
    ]

    @Test func tenThousandMutations() throws {
        let originals = try shippedScenarioFiles().map {
            try String(contentsOfFile: $0, encoding: .utf8)
        }
        var random = SeededGenerator(seed: 2026)
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }
        var loaded = 0
        var unlocated: [String] = []
        for round in 0..<10_000 {
            var text = Array(originals[pick(originals.count)])
            for _ in 0..<(1 + pick(3)) {
                let at = pick(text.count + 1)
                switch pick(5) {
                case 0 where !text.isEmpty:
                    text.remove(at: min(at, text.count - 1))
                case 1:
                    text.insert(contentsOf: Self.fragments[pick(Self.fragments.count)], at: at)
                case 2 where !text.isEmpty:
                    let end = min(text.count, at + pick(40))
                    text.removeSubrange(min(at, end)..<end)
                case 3:
                    let lines = String(text).split(
                        separator: "\n", omittingEmptySubsequences: false)
                    var shuffled = lines
                    if lines.count > 2 { shuffled.swapAt(pick(lines.count), pick(lines.count)) }
                    text = Array(shuffled.joined(separator: "\n"))
                default:
                    if let digit = text.indices.filter({ text[$0].isNumber }).randomElementSeeded(
                        pick)
                    {
                        text[digit] = Character(String(pick(10)))
                    }
                }
            }
            do {
                _ = try ScenarioLoader.load(String(text), file: "fuzz-\(round).yaml")
                loaded += 1
            } catch {
                // Only problems of the whole file may lack a line.
                let wholeFile =
                    error.message.contains("empty") || error.message.contains("no tasks")
                if error.line == 0 && !wholeFile { unlocated.append(error.description) }
            }
        }
        #expect(unlocated.isEmpty, "\(unlocated.prefix(5))")
        #expect(loaded > 0, "some mutations still load")
    }
}

extension Array where Element == Int {
    func randomElementSeeded(_ pick: (Int) -> Int) -> Int? {
        isEmpty ? nil : self[pick(count)]
    }
}
