import Foundation
import Scenarios
@_spi(PlantedBugs) import Scheduling
import Testing

/// Valid but extreme numbers: every scenario the loader takes runs without trapping, and
/// every sum of user-given times and sizes saturates or was refused at its place.
@Suite struct ExtremeValueTests {
    /// Numbers at the edges of what each kind of value can hold: zero, one, just under the
    /// loader's limits, past 32 bits, far past any real cluster.
    static let extremes = [
        "0", "1", "9.1e18", "9.1e9", "99999999999999", "2147483648", "1000000000",
        "0.000000001", "9223372036854775807", "1e300",
    ]

    /// Each number of a shipped scenario, one at a time, replaced by each extreme; the ones
    /// that load are run (with an event budget: a long-lived one is stopped, not waited for).
    /// A trap fails the whole suite; no run of the correct scheduler breaks an invariant.
    @Test(arguments: shippedScenarioFiles() + zooFiles())
    func everyNumberAtItsExtremes(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let numbers = Self.numbers(in: text)
        var ran = 0
        for range in numbers {
            for extreme in Self.extremes {
                let mutant = text.replacingCharacters(in: range, with: extreme)
                guard let scenario = try? ScenarioLoader.load(mutant, file: path) else {
                    continue
                }
                ran += 1
                let (result, _) = ScenarioRunner.simulate(scenario, eventLimit: 3_000)
                // (A hang may be right: one worker left where tasks ask for another.)
                if scenario.scheduler.plantedBug == nil {
                    #expect(
                        result.invariantViolations.isEmpty,
                        "\(path) with \(extreme): \(result.invariantViolations.prefix(2))")
                }
            }
        }
        #expect(!numbers.isEmpty && ran > 0, "\(path): no mutant loaded")
    }

    /// Files that trapped or ran for ever before: each valid, each now runs to an end.
    static let corpus: [String] = {
        let folder = packageRoot.appendingPathComponent("Tests/ScenariosTests/Extreme")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map {
            folder.appendingPathComponent($0).path
        }
    }()

    @Test(arguments: corpus)
    func runsToAnEnd(path: String) throws {
        let scenario = try loadScenario(path)
        let (result, _) = ScenarioRunner.simulate(scenario)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations.prefix(2))")
        if scenario.name == "restarted-for-ever" {
            #expect(result.stopped?.hasPrefix("livelock: workers were restarted") == true)
            #expect(!result.passed)
        } else {
            #expect(result.passed, "\(result.expectations.filter { !$0.ok }) \(result.hang)")
        }
    }

    /// Found by `make fuzz`: a size past 2^53 bytes was read through a double, so the file
    /// the writer made of it read back as another size.
    @Test func sizesAndDurationsPastADoublesPrecisionReadBackExactly() throws {
        let text = """
            cluster: {workers: [{name: a}]}
            tasks:
              - {key: a, duration: 9007199254740993ns, output: 8999999999999999999}
            """
        let scenario = try ScenarioLoader.load(text, file: "exact.yaml")
        #expect(scenario.tasks[0].outputSize == 8_999_999_999_999_999_999)
        #expect(scenario.tasks[0].duration == .fixed(9_007_199_254_740_993))
        let written = ScenarioWriter.yaml(scenario)
        let again = try ScenarioLoader.load(written, file: "written.yaml")
        #expect(again.tasks[0].outputSize == 8_999_999_999_999_999_999)
        #expect(ScenarioWriter.yaml(again) == written)
    }

    /// A run given an event budget stops when it is spent, and fails saying so.
    @Test func anEventLimitStopsARun() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/dask-chain.yaml").path)
        let (result, _) = ScenarioRunner.simulate(scenario, eventLimit: 1_000)
        #expect(result.events == 1_000)
        #expect(result.stopped == "event limit: the run reached its limit of 1000 events")
        #expect(!result.passed)
        let (whole, _) = ScenarioRunner.simulate(scenario, eventLimit: 1_000_000)
        #expect(whole.passed && whole.stopped == nil && whole.events > 1_000)
    }

    @Test func theCorpusIsThere() {
        #expect(Self.corpus.count >= 6)
    }

    /// The places of the numbers in `text` outside comments: digits (with a decimal point)
    /// that follow no letter, digit or point, and that a unit may follow.
    static func numbers(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        var previous: Character = "\n"
        var inComment = false
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" { inComment = false }
            if character == "#" { inComment = true }
            let startsNumber =
                character.isNumber && character.isASCII && !inComment
                && !(previous.isLetter || previous.isNumber || previous == "." || previous == "_"
                    || previous == "-")
            guard startsNumber else {
                previous = character
                index = text.index(after: index)
                continue
            }
            var end = index
            while end < text.endIndex, text[end].isNumber || text[end] == "." {
                end = text.index(after: end)
            }
            // `seed:` picks the run, not a value the machines compute with.
            let lineStart = text[..<index].lastIndex(of: "\n").map { text.index(after: $0) }
            if !text[(lineStart ?? text.startIndex)..<index].contains("seed") {
                ranges.append(index..<end)
            }
            previous = text[text.index(before: end)]
            index = end
        }
        return ranges
    }
}
