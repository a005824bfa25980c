/// `gantt.svg`: one lane per worker thread, a bar per execution coloured by how it ended,
/// transfers under the lanes, faults and client actions on the time axis, a `<title>` tooltip
/// per bar. An execution an injected fault made raise is outlined, a task that erred for good
/// is marked ✕ at its end, and each bar ends short of the next so consecutive attempts stay
/// apart (later attempts carry their number). A chart taller than a screen repeats the time
/// axis at the top. With many bars, consecutive bars of one colour on a lane that would be
/// under a pixel apart are drawn as one, so the file stays small.
public enum GanttRenderer {
    static let width = 1200.0
    static let left = 120.0
    static let right = 20.0
    static let laneHeight = 14.0
    static let top = 46.0
    /// Charts taller than this (about a laptop screen) repeat the time axis at the top.
    static let tallChart = 700.0

    public static func svg(
        _ gantt: Gantt, title: String, offset: Double = 0, standalone: Bool = true
    ) -> String {
        let span = Double(max(gantt.end, 1))
        let plot = width - left - right
        func x(_ time: Int64) -> Double { left + Double(time) / span * plot }
        var laneY: [String: Double] = [:]
        var y = top
        var out: [String] = []
        var rows: [String] = []
        for lane in gantt.lanes {
            laneY[lane.worker] = y
            rows.append(
                "<text x=\"6\" y=\"\(f(y + laneHeight - 3))\" class=\"label\">\(escaped(lane.worker))</text>"
            )
            for thread in 0..<lane.threads {
                let top = y + Double(thread) * laneHeight
                rows.append(
                    "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plot))\" height=\"\(f(laneHeight - 1))\" class=\"lane\"/>"
                )
            }
            y += Double(lane.threads) * laneHeight + 8
        }
        let height = y + 40
        if standalone {
            out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        }
        out.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        )
        out.append(
            "<style>.lane{fill:#f3f4f6}.label{fill:#111827}.axis{stroke:#9ca3af;stroke-width:1}.tick{fill:#4b5563;font-size:10px}.finished{fill:#2563eb}.erred{fill:#dc2626}.retried{fill:#f59e0b}.cancelled{fill:#9ca3af}.lost{fill:#7c3aed}.finished,.erred,.retried,.cancelled,.lost{stroke:#fff;stroke-width:.6}.transfer{fill:#10b981;opacity:.6}.fault{stroke:#dc2626;stroke-width:1.5;stroke-dasharray:4 3}.window{fill:#fecaca;opacity:.35}.client{fill:#111827}.injected{stroke:#111827;stroke-width:1.2;stroke-dasharray:3 2}.errmark{fill:#991b1b;font-weight:bold}.attempt{fill:#fff;font-size:9px}</style>"
        )
        out.append(
            "<text x=\"6\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(escaped(title))</text>")
        // Time axis: about ten ticks.
        let step = niceStep(span / 10)
        var tick = 0.0
        while tick <= span {
            let px = left + tick / span * plot
            out.append(
                "<line x1=\"\(f(px))\" y1=\"\(f(top - 6))\" x2=\"\(f(px))\" y2=\"\(f(height - 34))\" class=\"axis\" opacity=\".3\"/>"
            )
            out.append(
                "<text x=\"\(f(px))\" y=\"\(f(height - 22))\" class=\"tick\" text-anchor=\"middle\">\(escaped(timeLabel(tick)))</text>"
            )
            if height > tallChart {
                out.append(
                    "<text x=\"\(f(px))\" y=\"\(f(top - 18))\" class=\"tick\" text-anchor=\"middle\">\(escaped(timeLabel(tick)))</text>"
                )
            }
            tick += step
        }
        out += rows
        // Fault windows behind the bars.
        for mark in gantt.faults where mark.length > 0 {
            let endX = x(mark.time + mark.length)
            out.append(
                "<rect x=\"\(f(x(mark.time)))\" y=\"\(f(top))\" width=\"\(f(max(1, endX - x(mark.time))))\" height=\"\(f(height - top - 34))\" class=\"window\"><title>\(escaped(mark.label)) from \(seconds(mark.time)) for \(seconds(mark.length))</title></rect>"
            )
        }
        out += bars(gantt, laneY: laneY, x: x)
        for transfer in gantt.transfers {
            guard let base = laneY[transfer.worker] else { continue }
            let threads = gantt.lanes.first { $0.worker == transfer.worker }?.threads ?? 1
            let barY = base + Double(threads) * laneHeight
            out.append(
                "<rect x=\"\(f(x(transfer.start)))\" y=\"\(f(barY))\" width=\"\(f(max(0.5, x(transfer.end) - x(transfer.start))))\" height=\"3\" class=\"transfer\"><title>\(escaped(transfer.task)) → \(escaped(transfer.worker)): \(seconds(transfer.start))–\(seconds(transfer.end))\(transfer.ok ? "" : " (failed)")</title></rect>"
            )
        }
        for mark in gantt.faults {
            out.append(
                "<line x1=\"\(f(x(mark.time)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(mark.time)))\" y2=\"\(f(height - 34))\" class=\"fault\"><title>\(escaped(mark.label)) at \(seconds(mark.time))</title></line>"
            )
        }
        for mark in gantt.clientActions {
            out.append(
                "<path d=\"M\(f(x(mark.time) - 4)),\(f(top - 14)) l8,0 l-4,7 z\" class=\"client\"><title>client: \(escaped(mark.label)) at \(seconds(mark.time))</title></path>"
            )
        }
        // Legend.
        var legendX = left
        for outcome in Gantt.Outcome.allCases {
            out.append(
                "<rect x=\"\(f(legendX))\" y=\"\(f(height - 14))\" width=\"10\" height=\"10\" class=\"\(outcome.rawValue)\"/><text x=\"\(f(legendX + 14))\" y=\"\(f(height - 5))\">\(outcome.rawValue)</text>"
            )
            legendX += 90
        }
        out.append(
            "<rect x=\"\(f(legendX))\" y=\"\(f(height - 11))\" width=\"14\" height=\"3\" class=\"transfer\"/><text x=\"\(f(legendX + 18))\" y=\"\(f(height - 5))\">transfer</text>"
        )
        out.append(
            "<line x1=\"\(f(legendX + 100))\" y1=\"\(f(height - 14))\" x2=\"\(f(legendX + 100))\" y2=\"\(f(height - 4))\" class=\"fault\"/><text x=\"\(f(legendX + 106))\" y=\"\(f(height - 5))\">fault</text>"
        )
        out.append(
            "<rect x=\"\(f(legendX + 160))\" y=\"\(f(height - 14))\" width=\"14\" height=\"10\" class=\"retried injected\"/><text x=\"\(f(legendX + 178))\" y=\"\(f(height - 5))\">injected failure</text><text x=\"\(f(legendX + 280))\" y=\"\(f(height - 5))\" class=\"errmark\">✕</text><text x=\"\(f(legendX + 292))\" y=\"\(f(height - 5))\">erred for good</text>"
        )
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// One rect per bar; with many bars, a lane's consecutive same-colour bars that are less
    /// than a pixel apart merge into one.
    private static func bars(_ gantt: Gantt, laneY: [String: Double], x: (Int64) -> Double)
        -> [String]
    {
        let aggregate = gantt.bars.count > 20_000
        var out: [String] = []
        var ordered = gantt.bars.enumerated().map { $0 }
        if aggregate {
            ordered.sort { a, b in
                (a.element.worker, a.element.thread, a.element.start, a.offset)
                    < (b.element.worker, b.element.thread, b.element.start, b.offset)
            }
        }
        var pending: (bar: Gantt.Bar, count: Int)?
        func flush() {
            guard let (bar, count) = pending, let base = laneY[bar.worker] else { return }
            let y = base + Double(bar.thread) * laneHeight
            let title =
                count == 1
                ? "\(bar.task) · \(bar.worker) thread \(bar.thread) · \(seconds(bar.start))–\(seconds(bar.end)) · attempt \(bar.attempt) · \(bar.outcome.rawValue)\(bar.injected ? " (injected failure)" : "")"
                : "\(count) tasks \(bar.outcome.rawValue) · \(bar.worker) thread \(bar.thread) · \(seconds(bar.start))–\(seconds(bar.end))"
            let width = x(bar.end) - x(bar.start)
            // A gap at the end keeps a bar apart from the next attempt on its thread.
            let drawn = width > 4 ? width - 1.5 : max(0.5, width)
            let classes = bar.outcome.rawValue + (bar.injected && count == 1 ? " injected" : "")
            out.append(
                "<rect x=\"\(f(x(bar.start)))\" y=\"\(f(y))\" width=\"\(f(drawn))\" height=\"\(f(laneHeight - 1))\" class=\"\(classes)\"><title>\(escaped(title))</title></rect>"
            )
            if count == 1, bar.attempt > 1, width >= 16 {
                out.append(
                    "<text x=\"\(f(x(bar.start) + 3))\" y=\"\(f(y + laneHeight - 4))\" class=\"attempt\">\(bar.attempt)</text>"
                )
            }
            if bar.outcome == .erred {
                out.append(
                    "<text x=\"\(f(x(bar.end) + 1))\" y=\"\(f(y + laneHeight - 3))\" class=\"errmark\">✕</text>"
                )
            }
            pending = nil
        }
        for (_, bar) in ordered {
            if aggregate, var current = pending, current.bar.worker == bar.worker,
                current.bar.thread == bar.thread,
                current.bar.outcome == bar.outcome, x(bar.start) - x(current.bar.end) < 1
            {
                current.bar.end = max(current.bar.end, bar.end)
                current.count += 1
                pending = current
                continue
            }
            flush()
            pending = (bar, 1)
        }
        flush()
        return out
    }

    private static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// 1, 2 or 5 times a power of ten nanoseconds, at least `minimum`.
    private static func niceStep(_ minimum: Double) -> Double {
        var step = 1.0
        while step * 5 < minimum { step *= 10 }
        if step >= minimum { return step }
        if step * 2 >= minimum { return step * 2 }
        return step * 5
    }

    private static func timeLabel(_ nanoseconds: Double) -> String {
        if nanoseconds == 0 { return "0" }
        if nanoseconds >= 1e9 {
            return fixed(
                nanoseconds / 1e9, nanoseconds.truncatingRemainder(dividingBy: 1e9) == 0 ? 0 : 2)
                + "s"
        }
        if nanoseconds >= 1e6 { return fixed(nanoseconds / 1e6, 0) + "ms" }
        if nanoseconds >= 1e3 { return fixed(nanoseconds / 1e3, 0) + "µs" }
        return fixed(nanoseconds, 0) + "ns"
    }
}
