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

    /// The element at `index`, moved out of the array with `placeholder` left in its place.
    /// An element read in place is copied, retaining what it holds, and released again when
    /// the array goes; one moved out is not (reversing the array to pop from its end copied
    /// elements too, in the swaps).
    @inlinable
    package mutating func take(at index: Int, leaving placeholder: Element) -> Element {
        var taken = placeholder
        swap(&taken, &self[index])
        return taken
    }
}
