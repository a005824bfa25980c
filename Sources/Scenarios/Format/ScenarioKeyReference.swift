/// The key reference of the scenario format, as a Markdown article: every mapping, every key,
/// its value, its default and what it means, written from ``ScenarioFormat``'s tables (the
/// ones the loader checks files against), so the manual cannot miss a key.
public enum ScenarioKeyReference {
    /// The article, DocC-flavoured Markdown.
    public static func markdown() -> String {
        var text = """
            # Scenario keys

            Every key a scenario file may hold, mapping by mapping.

            This page is generated from the tables the loader checks files against (run \
            `RECORD_SNAPSHOTS=1 swift test --filter ScenarioKeyReferenceTests` after changing \
            them). A key that is left out takes its default; "—" means it has none (no limit, \
            no restriction, or the key is required). <doc:ScenarioFormat> walks through a whole \
            file.

            Values: a *duration* carries its unit (`ns`, `us`, `ms`, `s`, `m`, `h`), like \
            `10ms`; a *size* is bytes, plain or with a unit (`B`, `KB`, `MB`, `GB`, `TB`, \
            `KiB`, `MiB`, `GiB`, `TiB`); a *bandwidth* is a size per second, like `100MB/s`; \
            *names* are one name or a list of them.

            """
        for table in ScenarioFormat.tables {
            text += "\n## \(table.name)\n\n\(table.summary)"
            switch table.choice {
            case .none: break
            case .exactlyOne(let group):
                text += " Holds exactly one of \(group.map { "`\($0)`" }.joined(separator: ", "))."
            case .atLeastOne(let group):
                text += " Holds at least one of \(group.map { "`\($0)`" }.joined(separator: ", "))."
            }
            text += "\n\n| key | value | default | meaning |\n|---|---|---|---|\n"
            for key in table.keys {
                let fallback =
                    key.required
                    ? "required"
                    : key.defaultValue.map { $0.contains(" ") ? $0 : "`\($0)`" } ?? "—"
                text +=
                    "| `\(key.name)` | \(describe(key.value)) | \(fallback) | \(key.summary) |\n"
            }
        }
        return text
    }

    static func describe(_ shape: ValueShape) -> String {
        switch shape {
        case .text: "text"
        case .word(let words): words.map { "`\($0)`" }.joined(separator: " or ")
        case .boolean: "true or false"
        case .trueOnly: "`true`"
        case .integer(let minimum, let maximum): "whole number" + bounds(minimum, maximum)
        case .number(let minimum, let maximum, let infinite):
            "number" + bounds(minimum, maximum) + (infinite ? ", or `inf`" : "")
        case .positiveNumber(let maximum, let infinite):
            "number > 0" + (maximum.map { " ≤ \(compact($0))" } ?? "")
                + (infinite ? ", or `inf`" : "")
        case .duration: "duration"
        case .size: "size"
        case .bandwidth: "bandwidth"
        case .fraction: "fraction (0 < x ≤ 1) or `false`"
        case .names: "names"
        case .namePair: "two names"
        case .resources: "{name: amount}"
        case .list(let item): "list of \(describe(item))"
        case .table(let table): "<doc:ScenarioKeys#\(table.name)>"
        case .either(let shapes): shapes.map(describe).joined(separator: ", or ")
        }
    }

    private static func bounds<T: Comparable & CustomStringConvertible>(
        _ minimum: T?, _ maximum: T?
    )
        -> String
    {
        switch (minimum, maximum) {
        case (let low?, let high?): " \(compact(low)) … \(compact(high))"
        case (let low?, nil): " ≥ \(compact(low))"
        case (nil, let high?): " ≤ \(compact(high))"
        case (nil, nil): ""
        }
    }

    private static func compact(_ value: some CustomStringConvertible) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
