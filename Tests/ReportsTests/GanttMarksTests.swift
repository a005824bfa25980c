import Foundation
import Reports
import Scenarios
import Simulation
import Testing

/// What the Gantt chart shows beyond bars: injected failures on their executions, tasks that
/// erred for good, attempts apart, and the time axis of a tall chart.
@Suite struct GanttMarksTests {
    static func record(_ yaml: String) throws -> RunRecord {
        let scenario = try ScenarioLoader.load(yaml, file: "marks.yaml")
        let (result, simulation) = ScenarioRunner.simulate(scenario)
        return RunRecord(result: result, cluster: simulation, finalStates: result.finalStates)
    }

    /// `retries`: two injected failures, then a success, one after another on one thread.
    @Test func injectedFailuresAreOnTheirBarsNotWorkerWide() throws {
        let gantt = Gantt(try run("retries"))
        #expect(gantt.bars.map(\.injected) == [true, true, false])
        #expect(gantt.bars.map(\.outcome) == [.retried, .retried, .finished])
        #expect(gantt.faults.isEmpty, "a task failure is no fault window: \(gantt.faults)")
        let svg = GanttRenderer.svg(gantt, title: "retries")
        let bars = svg.split(separator: "\n").filter {
            $0.hasPrefix("<rect") && $0.contains("<title>")
        }
        #expect(bars.filter { $0.contains("class=\"retried injected\"") }.count == 2)
        #expect(!svg.contains("class=\"window\""))
        #expect(svg.contains("(injected failure)"))
    }

    /// Attempts back to back on one thread are drawn apart, later ones numbered.
    @Test func consecutiveAttemptsAreApart() throws {
        let gantt = Gantt(try run("retries"))
        let svg = GanttRenderer.svg(gantt, title: "retries")
        let rects = svg.split(separator: "\n").filter {
            $0.hasPrefix("<rect") && $0.contains(" · attempt ")
        }
        func number(_ line: Substring, _ attribute: String) -> Double {
            let start = line.range(of: "\(attribute)=\"")!.upperBound
            return Double(line[start...].prefix { $0 != "\"" })!
        }
        #expect(rects.count == 3)
        for (first, second) in zip(rects, rects.dropFirst()) {
            #expect(number(first, "x") + number(first, "width") < number(second, "x"))
        }
        #expect(
            svg.contains("class=\"attempt\">2</text>") && svg.contains("class=\"attempt\">3</text>")
        )
    }

    @Test func aTaskThatErredForGoodHasItsMark() throws {
        let record = try Self.record(
            """
            cluster: {workers: [{name: a}]}
            tasks: [{key: doomed, duration: 100ms}, {key: fine, duration: 100ms}]
            faults: [{fail: doomed}]
            """)
        let gantt = Gantt(record)
        #expect(gantt.bars.first { $0.task == "doomed" }?.outcome == .erred)
        let svg = GanttRenderer.svg(gantt, title: "t")
        // One on the bar, one in the legend.
        #expect(svg.components(separatedBy: "class=\"errmark\">✕</text>").count - 1 == 2)
    }

    /// A chart taller than a screen repeats its tick labels above the lanes.
    @Test func aTallChartRepeatsItsTimeAxisAtTheTop() throws {
        let tall = try Self.record(
            """
            cluster: {workers: [{count: 60, threads: 1}]}
            tasks: [{key: t, count: 60, duration: 1s}]
            """)
        let short = try run("retries")
        func ticks(_ record: RunRecord) -> Int {
            GanttRenderer.svg(Gantt(record), title: "t").components(separatedBy: "class=\"tick\"")
                .count - 1
        }
        let tallSVG = GanttRenderer.svg(Gantt(tall), title: "t")
        #expect(tallSVG.contains("y=\"28\" class=\"tick\""))
        #expect(!GanttRenderer.svg(Gantt(short), title: "t").contains("y=\"28\" class=\"tick\""))
        #expect(ticks(tall) > 0 && ticks(tall) % 2 == 0)
    }

    /// The comparison page sets trace hashes as code and lists differing final states, with
    /// no Markdown left in it.
    @Test func theComparisonPageHasNoRawMarkdown() throws {
        let a = try run("locality-shuffle")
        let b = try run("cancel-during-run")
        let html = ComparisonRenderer.html(Comparison(a, b), a, b)
        #expect(!html.contains("`"))
        #expect(html.contains("<code>\(a.header.traceHash)</code>"))
        #expect(html.contains("<h2>Final states that differ</h2><ul><li>"))
        #expect(ComparisonRenderer.markdown(Comparison(a, b)).contains("`\(a.header.traceHash)`"))
    }
}
