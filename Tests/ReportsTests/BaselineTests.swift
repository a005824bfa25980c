import Foundation
import Reports
import Testing

@Suite struct BaselineTests {
    func baseline(_ name: String, policy: String? = nil, seeds: [UInt64] = [1, 2, 3]) throws
        -> Baseline
    {
        let runs = try seeds.map { try run(name, policy: policy, seed: $0) }
        return Baseline(
            scenario: name, file: name, seeds: seeds,
            policies: [policy ?? runs[0].header.policy: Baseline.entry(runs)],
            reference: policy ?? runs[0].header.policy)
    }

    @Test func aSlowerPolicyRegressesAndTheSameOnePasses() throws {
        let recorded = try baseline("wfcommons-montage")
        let same = BaselineCheck(
            try run("wfcommons-montage"), against: recorded, tolerance: 0.05, strict: true)
        #expect(!same.failed, "\(BaselineCheck.table([same]))")
        let worse = BaselineCheck(
            try run("wfcommons-montage", policy: "random"), against: recorded, tolerance: 0.05,
            strict: false)
        #expect(worse.failed)
        let table = BaselineCheck.table([worse])
        #expect(
            table.contains("makespan_s") && table.contains("REGRESSED")
                && table.contains("random vs locality"), "\(table)")
    }

    /// Strict mode fails on a changed trace even when no figure moved.
    @Test func strictFailsOnAnotherTrace() throws {
        let recorded = try baseline("steal-versus-finish", seeds: [7])
        let otherSeed = BaselineCheck(
            try run("steal-versus-finish", seed: 7), against: recorded, tolerance: 10, strict: true)
        #expect(!otherSeed.failed)
        var tampered = recorded
        tampered.policies["work-stealing"]!.traceHashes["7"] = "0000000000000000"
        let check = BaselineCheck(
            try run("steal-versus-finish", seed: 7), against: tampered, tolerance: 10, strict: true)
        #expect(check.failed)
        #expect(BaselineCheck.table([check]).contains("trace hash"))
    }

    /// A figure inside the recorded spread does not flap, even past the tolerance.
    @Test func theRecordedSpreadIsTolerated() {
        let spread = Baseline.Spread([1.0, 1.3, 1.1])
        #expect(spread.median == 1.1 && spread.min == 1.0 && spread.max == 1.3)
        #expect(Baseline.Spread([4, 1, 3, 2]).median == 2.5)
    }

    @Test func matrix() throws {
        let names = ["locality-shuffle", "critical-path"]
        let policies = ["locality", "least-loaded", "critical-path"]
        let runs = try names.map { name in try policies.map { [try run(name, policy: $0)] } }
        let matrix = PolicyMatrix(policies: policies, scenarios: names, runs: runs)
        // locality-shuffle: locality is best; critical-path: critical-path is best.
        #expect(matrix.cells[0][0].relative == 1 && matrix.cells[0][1].relative > 6)
        #expect(matrix.cells[1][2].relative == 1 && matrix.cells[1][0].relative > 1)
        #expect(matrix.summaries.first { $0.policy == "least-loaded" }!.worst > 6)
        #expect(parsesAsXML(matrix.html()))
        #expect(matrix.markdown().contains("| locality-shuffle | 1.00 |"))
    }
}
