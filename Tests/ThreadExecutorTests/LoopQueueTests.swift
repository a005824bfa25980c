import Scheduling
import Testing

@testable import ThreadExecutor

/// The control loop's queue gives its entries back least first, whether they came in order
/// (the run) or not (the heap), mixed with removals at any point.
struct LoopQueueTests {
    struct Entry: Comparable {
        var deadline: Int64
        var sequence: Int

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
        }
    }

    @Test(arguments: [1, 2, 3])
    func givesEntriesBackLeastFirst(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var queue = LoopQueue<Entry>()
        var reference: [Entry] = []
        var clock: Int64 = 0
        for sequence in 0..<3_000 {
            // Mostly later and later, as the loop's own messages are; now and then earlier.
            clock += Int64.random(in: 0..<3, using: &generator)
            let early = Int.random(in: 0..<8, using: &generator) == 0
            let entry = Entry(
                deadline: early ? Int64.random(in: 0...clock, using: &generator) : clock,
                sequence: sequence)
            queue.insert(entry)
            reference.append(entry)
            #expect(queue.min == reference.min())
            if Bool.random(using: &generator) {
                let least = reference.min()!
                reference.removeAll { $0 == least }
                #expect(queue.removeMin() == least)
            }
            if sequence % 100 == 0 { #expect(queue.unordered.sorted() == reference.sorted()) }
        }
        while let least = reference.min() {
            reference.removeAll { $0 == least }
            #expect(queue.removeMin() == least)
        }
        #expect(queue.isEmpty)
    }
}
