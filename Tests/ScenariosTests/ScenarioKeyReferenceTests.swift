import Foundation
import Scenarios
import Testing

/// The manual's key reference is the one generated from the loader's tables.
@Suite struct ScenarioKeyReferenceTests {
    static let article = packageRoot.appendingPathComponent(
        "Sources/Orrery/Orrery.docc/ScenarioKeys.md")

    /// `RECORD_SNAPSHOTS=1` writes it anew.
    @Test func committedArticleIsCurrent() throws {
        try expectCurrent(
            Self.article, is: ScenarioKeyReference.markdown(), suite: "ScenarioKeyReferenceTests")
    }

    /// Every key of every table has a row, under its table's heading.
    @Test func everyKeyHasARow() {
        let text = ScenarioKeyReference.markdown()
        for table in ScenarioFormat.tables {
            let section = text.components(separatedBy: "\n## \(table.name)\n").dropFirst().first
            #expect(section != nil, "no section for \(table.name)")
            let rows = section?.components(separatedBy: "\n## ").first ?? ""
            for key in table.keys {
                #expect(rows.contains("| `\(key.name)` |"), "\(table.name).\(key.name)")
            }
        }
    }
}
