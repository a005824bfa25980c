import Foundation

/// Writes a run's report folder: `DIR/<scenario>/<mode>-seed<N>/` with `trace.jsonl`,
/// `summary.json`, `summary.md`, `gantt.svg` and `index.html`, each through a temporary file
/// that is renamed into place, so no file is ever half-written.
public enum ReportWriter {
    /// The folder a run's report goes to.
    public static func folder(for header: RunRecord.Header, in root: String) -> URL {
        let scenario = header.scenario.map {
            $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_"
        }
        return URL(fileURLWithPath: root).appendingPathComponent(String(scenario))
            .appendingPathComponent("\(header.mode)-seed\(header.seed)")
    }

    /// Renders everything from the record and writes it; returns the index page's path.
    @discardableResult
    public static func write(_ record: RunRecord, to folder: URL, includingTrace: Bool = true)
        throws -> URL
    {
        let files = try render(record)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if includingTrace {
            try writeAtomically(
                try record.jsonLines(), to: folder.appendingPathComponent("trace.jsonl"))
        }
        for (name, text) in files {
            try writeAtomically(text, to: folder.appendingPathComponent(name))
        }
        return folder.appendingPathComponent("index.html")
    }

    /// Every rendered file but the trace, by name, in a fixed order.
    public static func render(_ record: RunRecord) throws -> [(String, String)] {
        let metrics = Metrics(record)
        let gantt = Gantt(record)
        let title =
            "\(record.header.scenario) — \(record.header.mode), \(record.header.policy), seed \(record.header.seed)"
        return [
            ("summary.json", try SummaryRenderer.json(record, metrics)),
            ("summary.md", SummaryRenderer.markdown(record, metrics)),
            ("gantt.svg", GanttRenderer.svg(gantt, title: title)),
            (
                "index.html",
                HTMLRenderer.page(
                    record, metrics,
                    gantt: GanttRenderer.svg(gantt, title: title, standalone: false))
            ),
        ]
    }

    /// Writes through a temporary file next to `url`, then renames it into place.
    public static func writeAtomically(_ text: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw ReportError("\(url.path): error: cannot write: \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError("\(url.path): error: cannot move the report into place")
        }
    }
}
