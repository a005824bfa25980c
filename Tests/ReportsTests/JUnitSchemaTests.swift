import Foundation
import Reports
import Scenarios
import Testing

/// The JUnit files Orrery writes conform to the layout Jenkins and Surefire read
/// (`Schemas/junit.xsd`): `errors` on every suite, and no attribute the layout does not define.
@Suite struct JUnitSchemaTests {
    static func checker() throws -> XMLSchemaChecker {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Schemas/junit.xsd")
        return try XMLSchemaChecker(schema: Data(contentsOf: schema))
    }

    @Test func runsConform() throws {
        let xml = JUnitRenderer.xml([
            try run("retries"), try run("locality-shuffle", policy: "least-loaded"),
        ])
        #expect(try Self.checker().problems(in: Data(xml.utf8)) == [])
    }

    @Test func sweepsConform() throws {
        for (file, seeds) in [
            ("scenarios/zoo/count-deaths-twice.yaml", 40),
            ("scenarios/steal-versus-finish.yaml", 4),
        ] {
            let scenario = try ScenarioLoader.load(
                contentsOf: root.appendingPathComponent(file).path)
            let xml = JUnitRenderer.xml(
                Exploration.run(scenario, seeds: Array(1...UInt64(seeds)), jobs: 2))
            #expect(try Self.checker().problems(in: Data(xml.utf8)) == [], "\(file)")
        }
    }

    /// What the files were like before: a `file` attribute on each case and no `errors`.
    @Test func theCheckRefusesWhatTheLayoutDoesNotDefine() throws {
        let old = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="orrery" tests="1" failures="0">
            <testsuite name="orrery" tests="1" failures="0" time="0.1">
            <testcase classname="orrery.x" name="x" file="x.yaml" time="zero">
            <surprise/>
            </testcase>
            </testsuite>
            </testsuites>
            """
        let problems = try Self.checker().problems(in: Data(old.utf8))
        #expect(problems.contains("<testsuite> lacks its required attribute errors"))
        #expect(problems.contains("<testcase> has an attribute the schema does not define: file"))
        #expect(problems.contains("<testcase time=\"zero\"> is not xs:decimal"))
        #expect(problems.contains("<surprise> is not declared"))
    }
}
