/// A task's key as the tables that keep one for every task hold it.
///
/// A pure task's key is its name, a dash and a 32-digit token (dask's `name-token`, as
/// `StableHasher` makes it): kept as the name and the token's two words, the million keys of a
/// `map` share one name and no key has a string of its own (a 36-byte key's string took 96
/// bytes of memory). Any other key is kept as it is. The form is a function of the text, so
/// two keys are equal, hash alike and order exactly as their strings do.
public struct TaskKey: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringInterpolation
{
    /// The name before the token, or the whole key when it has none.
    @usableFromInline let name: String
    /// The token's words, in the order its digits give them; both zero for a key kept whole
    /// (a zero token is kept whole too, so the form stays a function of the text).
    @usableFromInline let first: UInt64
    @usableFromInline let second: UInt64

    /// Digits in a token.
    private static let tokenDigits = 32

    /// The key `text`.
    public init(_ text: String) {
        (name, first, second) = Self.split(text) ?? (text, 0, 0)
    }

    public init(stringLiteral text: String) { self.init(text) }

    /// `name-` followed by `first` and `second` in 16 lowercase hexadecimal digits each.
    public init(name: String, token first: UInt64, _ second: UInt64) {
        if name.isEmpty || first | second == 0 {
            (self.name, self.first, self.second) = (
                appendingHex(first, second, to: name + "-"), 0, 0
            )
        } else {
            (self.name, self.first, self.second) = (name, first, second)
        }
    }

    @usableFromInline var hasToken: Bool { first | second != 0 }

    /// The key's text (made afresh for a key with a token).
    public var string: String {
        hasToken ? appendingHex(first, second, to: name + "-") : name
    }

    public var description: String { string }

    /// How many bytes its text has in UTF-8.
    public var utf8Count: Int { name.utf8.count + (hasToken ? 1 + Self.tokenDigits : 0) }

    /// Calls `body` with each byte of its text in UTF-8, in order, without making the text.
    /// Inlinable, so that a caller in another module (the stable hasher, for every input of
    /// every submitted task) runs `body` in line instead of calling it for each byte.
    @inlinable public func forEachUTF8Byte(_ body: (UInt8) -> Void) {
        for byte in name.utf8 { body(byte) }
        guard hasToken else { return }
        body(UInt8(ascii: "-"))
        // The two words' digits, most significant first: one loop over both, with no list of
        // the words to allocate.
        for shift in stride(from: 124, through: 0, by: -4) {
            let word = shift >= 64 ? first : second
            body(hexDigit(word >> UInt64(shift & 63)))
        }
    }

    /// The name of the task's group: its key without its trailing `-index` and `-token`
    /// parts (dask's `key_split`).
    package var groupName: String { Scheduling.groupName(ofKey: name) }

    /// Whether ``groupName`` is `group`, whose UTF-8 bytes are `utf8` (found without making
    /// the name; `group` must be a group name, as ``groupName`` is). `group` is read only
    /// for a key with a token.
    package func isInGroup(
        named group: @autoclosure () -> String, utf8: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        // A group's name is its own group name, so a key whose name before its token is the
        // group's (every key of one `map`) is in it without reading its bytes. (A key with
        // no token is read at once: its name is the whole key, rarely the group's name.)
        (hasToken && name == group()) || key(name, isInGroupNamedByUTF8: utf8)
    }

    public static func < (lhs: TaskKey, rhs: TaskKey) -> Bool {
        // Two tokens after one name order as their digits, which is as their words do.
        if lhs.hasToken, rhs.hasToken, lhs.name == rhs.name {
            return (lhs.first, lhs.second) < (rhs.first, rhs.second)
        }
        return lhs.string < rhs.string
    }

    /// The name and the token's words of `text` if it is `name-token` with a name and a
    /// token other than zero.
    private static func split(_ text: String) -> (String, UInt64, UInt64)? {
        let bytes = text.utf8
        guard bytes.count > tokenDigits + 1 else { return nil }
        let dash = bytes.index(bytes.endIndex, offsetBy: -(tokenDigits + 1))
        guard bytes[dash] == UInt8(ascii: "-") else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        for (position, byte) in bytes[bytes.index(after: dash)...].enumerated() {
            guard let value = hexValue(byte) else { return nil }
            if position < tokenDigits / 2 {
                words.0 = words.0 << 4 | value
            } else {
                words.1 = words.1 << 4 | value
            }
        }
        guard words.0 | words.1 != 0 else { return nil }
        return (String(text.utf8[..<dash])!, words.0, words.1)
    }

    /// A lowercase hexadecimal digit's value (the only digits a token is written with).
    private static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }
}

/// The lowercase hexadecimal digit of the low four bits of `value`.
@inlinable @inline(__always)
func hexDigit(_ value: UInt64) -> UInt8 {
    let digit = UInt8(truncatingIfNeeded: value) & 0xF
    return digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
}

/// `prefix` followed by `first` and `second` in 16 lowercase hexadecimal digits each, made in
/// one allocation: formatting each word on its own and joining the pieces took several.
package func appendingHex(_ first: UInt64, _ second: UInt64, to prefix: String) -> String {
    let prefixCount = prefix.utf8.count
    return String(unsafeUninitializedCapacity: prefixCount + 32) { buffer in
        _ = buffer.initialize(fromContentsOf: prefix.utf8)
        var position = prefixCount
        for word in [first, second] {
            for shift in stride(from: 60, through: 0, by: -4) {
                buffer[position] = hexDigit(word >> UInt64(shift))
                position += 1
            }
        }
        return position
    }
}
