import Testing

@testable import Scheduling

/// The scheduler's record tables: records by position, kept through growth, released with the
/// table, and the positions written since the last look remembered once each.
@Suite struct ChangeTrackedTableTests {
    @Test func recordsKeepTheirPositionsAsTheTableGrows() {
        var table = ChangeTrackedTable<[Int]>()
        for position in 0..<1000 { table.append([position, position * 2]) }
        #expect(table.count == 1000)
        #expect(table.indices == 0..<1000)
        #expect(table.indices.allSatisfy { table[$0] == [$0, $0 * 2] })
        table[500].append(7)
        #expect(table[500] == [500, 1000, 7])
        #expect(table.withRecords { $0.map(\.count).reduce(0, +) } == 2001)
    }

    @Test func aTableLargerThanAHugePageKeepsItsRecords() {
        // 300,000 eight-byte records grow through storage of 2 MiB and more, which on Linux
        // is aligned for huge pages.
        var table = ChangeTrackedTable<Int>()
        for position in 0..<300_000 { table.append(position &* 7) }
        #expect(table.indices.allSatisfy { table[$0] == $0 &* 7 })
        let start = table.withRecords { UInt(bitPattern: $0.baseAddress) }
        #if os(Linux)
            #expect(start % (2 << 20) == 0)
        #endif
        #expect(start % UInt(MemoryLayout<Int>.alignment) == 0)
    }

    final class Tracked {}

    @Test func theTableReleasesItsRecordsWhenItGoes() {
        weak var first: Tracked?
        weak var grown: Tracked?
        do {
            var table = ChangeTrackedTable<Tracked>()
            let kept = Tracked()
            first = kept
            table.append(kept)
            // Past the first storage's capacity: the records move, and are still released.
            for _ in 0..<100 { table.append(Tracked()) }
            grown = table[100]
            #expect(first != nil && grown != nil)
        }
        #expect(first == nil)
        #expect(grown == nil)
    }

    @Test func writesAreRememberedOnlyWhileTrackingAndEachOnce() {
        var table = ChangeTrackedTable<Int>()
        for value in 0..<5 { table.append(value) }
        table[1] = 10
        var changed: [Int32] = []
        table.takeChanges(into: &changed)
        #expect(changed.isEmpty)

        table.startTrackingChanges()
        table[3] += 1
        table[1] += 1
        table[3] += 1
        table.append(5)
        table.takeChanges(into: &changed)
        #expect(changed == [3, 1, 5])
        // Reads are not writes, and a position taken once is noted again when written again.
        _ = table[2]
        table[3] = 0
        table.takeChanges(into: &changed)
        #expect(changed == [3, 1, 5, 3])
        #expect(table.withRecords { Array($0) } == [0, 11, 2, 0, 4, 5])
    }
}
