/// A queue of timed entries that gives back the least entry first and nothing else: the
/// thread executor's event queue, and the simulation's for events that cannot wait in order
/// (see `TimeQueue`). Inlined into a driver's module, specialized for its own entries.
///
/// A binary heap, where swift-collections' `Heap` is a min-max heap (it gives the greatest
/// too, which no driver asks for, and pays for it with more comparisons at each level).
/// Entries move by filling a hole instead of by swaps, and taking the least sends the hole
/// to the bottom before the last entry fills it (Floyd's way: about half the comparisons).
/// Entries that compare equal come out in no promised order; a driver's entries never do
/// (each carries its own tie-breaker).
public struct EventQueue<Element: Comparable> {
    @usableFromInline var entries: [Element] = []

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { entries.isEmpty }

    @inlinable public var count: Int { entries.count }

    /// The least entry, if any.
    @inlinable public var min: Element? { entries.first }

    /// Every entry, in no particular order.
    @inlinable public var unordered: [Element] { entries }

    @inlinable public mutating func insert(_ element: Element) {
        entries.append(element)
        entries.withUnsafeMutableBufferPointer { entries in
            Self.siftUp(element, from: entries.count - 1, in: entries)
        }
    }

    /// Takes the least entry out; the queue must not be empty.
    @inlinable public mutating func removeMin() -> Element {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return last }
        return entries.withUnsafeMutableBufferPointer { entries in
            let least = entries[0]
            // The hole the least leaves goes down to a leaf, taking the lesser child up at
            // each level (one comparison a level); the last entry, which belongs near the
            // bottom, then rises from there, mostly not at all.
            let count = entries.count
            var hole = 0
            while 2 * hole + 2 < count {
                let left = 2 * hole + 1
                let child = entries[left + 1] < entries[left] ? left + 1 : left
                entries[hole] = entries[child]
                hole = child
            }
            if 2 * hole + 1 < count {
                entries[hole] = entries[2 * hole + 1]
                hole = 2 * hole + 1
            }
            Self.siftUp(last, from: hole, in: entries)
            return least
        }
    }

    /// Puts `element` in the hole at `hole`, moving the greater entries above it down.
    @inlinable static func siftUp(
        _ element: Element, from hole: Int, in entries: UnsafeMutableBufferPointer<Element>
    ) {
        var hole = hole
        while hole > 0 {
            let parent = (hole - 1) / 2
            guard element < entries[parent] else { break }
            entries[hole] = entries[parent]
            hole = parent
        }
        entries[hole] = element
    }
}
