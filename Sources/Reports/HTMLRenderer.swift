/// `index.html`: one self-contained page (no network; styles and the chart inline) with the
/// verdict, the figures, the expectations, any invariant violation with the trace lines around
/// it, the Gantt chart, and the replay command.
public enum HTMLRenderer {
    public static func page(_ record: RunRecord, _ metrics: Metrics, gantt: String) -> String {
        let header = record.header
        var body: [String] = []
        body.append(
            "<h1>\(escaped(header.scenario)) <span class=\"\(header.passed ? "pass" : "fail")\">\(header.passed ? "PASS" : "FAIL")</span></h1>"
        )
        body.append(
            "<p class=\"meta\">\(escaped(header.mode)) · policy \(escaped(header.policy)) · seed \(header.seed) · trace <code>\(escaped(header.traceHash))</code> · \(escaped(header.file))</p>"
        )
        body.append("<p>Replay: <code>\(escaped(header.replay))</code></p>")
        if !header.expectations.isEmpty {
            body.append(
                "<h2>Expectations</h2><table><tr><th></th><th>expectation</th><th>found</th></tr>")
            for expectation in header.expectations {
                body.append(
                    "<tr class=\"\(expectation.ok ? "ok" : "bad")\"><td>\(expectation.ok ? "✓" : "✗")</td><td>\(escaped(expectation.expectation))</td><td>\(escaped(expectation.detail))</td></tr>"
                )
            }
            body.append("</table>")
        }
        if !header.invariantViolations.isEmpty || !header.hang.isEmpty || header.stopped != nil {
            body.append("<h2>Problems</h2>")
            if let stopped = header.stopped {
                body.append("<p class=\"bad\">Stopped before it settled: \(escaped(stopped))</p>")
            }
            if !header.hang.isEmpty {
                body.append(
                    "<p class=\"bad\">Hang: nothing was left to happen, yet these tasks never finished: \(escaped(header.hang.joined(separator: ", ")))</p>"
                )
            }
            if !header.invariantViolations.isEmpty {
                body.append(
                    "<p class=\"bad\">Invariant violated; the violations, then the last trace lines before it:</p><pre>\(escaped(header.invariantViolations.joined(separator: "\n")))</pre>"
                )
            }
        }
        body.append("<h2>Timeline</h2><div class=\"chart\">\(gantt)</div>")
        body.append("<h2>Figures</h2><table>")
        let rows =
            metrics.rows + [
                (
                    "\(header.mode == "sim" ? "simulated" : "run") time / wall time",
                    fixed(metrics.speedUp, 1) + "×"
                )
            ]
        for (name, value) in rows {
            body.append("<tr><td>\(escaped(name))</td><td>\(escaped(value))</td></tr>")
        }
        body.append(
            "</table><h2>Workers</h2><table><tr><th>worker</th><th>threads</th><th>utilisation</th></tr>"
        )
        for worker in header.workers {
            body.append(
                "<tr><td>\(escaped(worker.name))</td><td>\(worker.threads)</td><td>\(percent(metrics.utilisation[worker.name] ?? 0))</td></tr>"
            )
        }
        body.append("</table>")
        return """
            <!DOCTYPE html>
            <html lang="en" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(escaped(header.scenario)) — Orrery</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#111827;max-width:1260px}
            h1 span{font-size:.8em;padding:.1em .4em;border-radius:.3em;color:#fff}
            .pass{background:#16a34a}.fail{background:#dc2626}
            .meta{color:#4b5563}table{border-collapse:collapse;margin:.5rem 0}
            td,th{border:1px solid #e5e7eb;padding:.25rem .6rem;text-align:left;vertical-align:top}
            tr.bad td,.bad{color:#b91c1c}tr.ok td:first-child{color:#16a34a}
            pre{background:#f9fafb;padding:.6rem;overflow:auto;font-size:.85em}
            .chart{overflow-x:auto;border:1px solid #e5e7eb}code{background:#f3f4f6;padding:0 .2em}
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }
}
