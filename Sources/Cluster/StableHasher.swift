import Scheduling

/// A hash that is the same in every process and on every machine (unlike Swift's `Hasher`,
/// which is seeded per process): two FNV-1a 64-bit lanes with different offsets.
public struct StableHasher: Sendable {
    private var low: UInt64 = 0xCBF2_9CE4_8422_2325
    private var high: UInt64 = 0x6C62_272E_07BB_0142

    public init() {}

    public mutating func combine(bytes: some Sequence<UInt8>) {
        for byte in bytes { combine(byte: byte) }
    }

    @inline(__always)
    private mutating func combine(byte: UInt8) {
        low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37
    }

    /// Folds in eight bytes at once (a word-wise FNV step with an extra shift for mixing).
    public mutating func combine(_ value: UInt64) {
        low = (low ^ value) &* 0x0000_0100_0000_01B3
        low ^= low >> 29
        high = (high ^ (value << 32 | value >> 32)) &* 0x0000_0100_0000_01B3 &+ 0x9E37
        high ^= high >> 31
    }

    public mutating func combine(_ text: String) {
        combine(UInt64(text.utf8.count))
        combine(bytes: text.utf8)
    }

    /// Folds in a key exactly as its text.
    public mutating func combine(_ key: TaskKey) {
        combine(UInt64(key.utf8Count))
        key.forEachUTF8Byte { combine(byte: $0) }
    }

    /// The 64-bit hash.
    public var value: UInt64 { low ^ (high &* 0x9E37_79B9_7F4A_7C15) }

    /// 32 hexadecimal digits, as dask's tokens.
    public var token: String { appendingHex(low, high, to: "") }

    /// `name-token`: a pure task's key.
    public func key(named name: String) -> TaskKey { TaskKey(name: name, token: low, high) }
}

/// A value that contributes to a pure task's key. Equal values must hash equally in every
/// process; values of different types should not collide, so each conformance starts with a
/// type tag.
public protocol StableHashable {
    func stableHash(into hasher: inout StableHasher)
}

extension Int: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(1)
        hasher.combine(UInt64(bitPattern: Int64(self)))
    }
}

extension Int64: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(1)
        hasher.combine(UInt64(bitPattern: self))
    }
}

extension UInt64: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(2)
        hasher.combine(self)
    }
}

extension Double: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(3)
        hasher.combine((self == 0 ? 0 : self).bitPattern)
    }
}

extension Bool: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(4)
        hasher.combine(self ? 1 : 0)
    }
}

extension String: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(5)
        hasher.combine(self)
    }
}

extension Array: StableHashable where Element: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(6)
        hasher.combine(UInt64(count))
        for element in self { element.stableHash(into: &hasher) }
    }
}

extension Optional: StableHashable where Wrapped: StableHashable {
    public func stableHash(into hasher: inout StableHasher) {
        hasher.combine(7)
        if let self { self.stableHash(into: &hasher) } else { hasher.combine(0) }
    }
}

extension SeededGenerator {
    /// A fresh key suffix for an impure task: 32 hexadecimal digits.
    public mutating func keyToken() -> String {
        let first = next()
        return appendingHex(first, next(), to: "")
    }
}
