/// Values parked under small numbers until taken back; a number is given again once its value
/// is taken. A driver's event queue orders small entries that name a slot, while the big value
/// each stands for stays where it is: a heap moves its entries often. Inlined into a driver's
/// module, specialized for its own values.
public struct Slots<Element> {
    @usableFromInline var values: [Element?] = []
    @usableFromInline var free: [Int32] = []

    @inlinable public init() {}

    /// Parks `value`; the slot it waits in (the last one freed, if any).
    @inlinable @inline(__always) public mutating func park(_ value: consuming Element) -> Int32 {
        if let slot = free.popLast() {
            values[Int(slot)] = value
            return slot
        }
        values.append(value)
        return Int32(values.count - 1)
    }

    /// Takes back the value parked in `slot`, which is free from then on.
    @inlinable @inline(__always) public mutating func take(_ slot: Int32) -> Element {
        defer { free.append(slot) }
        return values[Int(slot)].take()!
    }

    /// Drops every parked value.
    @inlinable public mutating func removeAll() {
        values.removeAll()
        free.removeAll()
    }
}
