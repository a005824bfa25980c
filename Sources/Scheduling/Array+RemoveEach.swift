extension Array {
    /// Empties the array and keeps its storage, one element at a time: for the few elements
    /// of a list emptied after each event, cheaper than `removeAll(keepingCapacity:)`, which
    /// replaces a range at a fixed cost several times theirs.
    @inlinable
    package mutating func removeEach() {
        while popLast() != nil {}
    }
}
