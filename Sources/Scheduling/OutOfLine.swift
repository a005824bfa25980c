/// A value most instances of a type leave at its default, kept out of line: nothing but a
/// null reference while it was never set, a box once it was (shared by copies, and copied by
/// the first write to a shared one).
///
/// For fields a struct holds per task that few tasks use: the struct then pays one word for
/// all of them instead of their full widths.
struct OutOfLine<Value: DefaultValued> {
    private var box: Box?

    init() {}

    /// The value, unless it was never set (then `nil`, which reads as the default).
    var ifSet: Value? { box?.value }

    /// Whether it was ever set.
    var isSet: Bool { box != nil }

    /// The value, the default if it was never set.
    var value: Value { box?.value ?? Value() }

    /// Changes the value in place (copying it first if another instance shares it), except
    /// that one never set stays unset when `isDefault` (the change would set what it already
    /// reads as).
    mutating func edit(unless isDefault: Bool, _ edit: (inout Value) -> Void) {
        if box == nil {
            if isDefault { return }
            box = Box(Value())
        } else if !isKnownUniquelyReferenced(&box!) {
            box = Box(box!.value)
        }
        edit(&box!.value)
    }

    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }
}

/// A type with a default value, made by `init()`.
protocol DefaultValued {
    init()
}

// A shared box is never written (a write copies it first), so copies on other threads read
// a value no one changes.
extension OutOfLine: @unchecked Sendable where Value: Sendable {}

extension OutOfLine: Equatable where Value: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
}

extension OutOfLine: Hashable where Value: Hashable {
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
