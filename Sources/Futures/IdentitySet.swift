/// Objects seen, by identity, in a table probed by their address: the distinct futures of
/// one call to ``wait(_:timeout:returnWhen:)-(_,_,_)``, found without running each through
/// `Hasher` (which otherwise costs a wait on many done futures most of its time).
@usableFromInline
struct IdentitySet {
    /// Addresses, 0 for an empty slot; a power of two long, at most half full.
    @usableFromInline var slots: [UInt]
    @usableFromInline var count = 0

    @inlinable init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = Array(repeating: 0, count: size)
    }

    /// Adds `object`; whether it was not there yet.
    @inlinable mutating func insert(_ object: AnyObject) -> Bool {
        if 2 * (count + 1) > slots.count { grow() }
        let address = UInt(bitPattern: ObjectIdentifier(object))
        let mask = slots.count - 1
        // Fibonacci hashing: the high bits of the product depend on every bit of the address.
        var slot = Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while slots[slot] != 0 {
            if slots[slot] == address { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = address
        count += 1
        return true
    }

    @usableFromInline mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for address in old where address != 0 {
            var slot = Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = address
        }
    }
}
