extension Array {
    /// Empties the array and keeps its storage: for the few elements of a list emptied after
    /// each event, cheaper than `removeAll(keepingCapacity:)`, which replaces a range at a
    /// fixed cost several times theirs. Elements that need no destroying (plain values), past
    /// a few, go in that one replacement instead of one by one.
    @inlinable
    package mutating func removeEach() {
        if _isPOD(Element.self), count > 8 {
            removeAll(keepingCapacity: true)
            return
        }
        while popLast() != nil {}
    }
}
