/// Values parked under small numbers until taken back; a number is given again once its value
/// is taken. A driver's event queue orders small entries that name a slot, while the big value
/// each stands for stays where it is: a heap moves its entries often. Inlined into a driver's
/// module, specialized for its own values.
///
/// It owns its storage and cannot be copied: parking moves a value into a slot and taking
/// moves it out, so a value is never copied, nor an empty slot overwritten, on the way (for a
/// cluster event each of those went through the type's value witnesses).
public struct Slots<Element>: ~Copyable {
    /// Room for `capacity` values; slots `0..<used` have been given at least once.
    @usableFromInline var values: UnsafeMutablePointer<Element>
    /// Whether each slot below `capacity` holds a value now.
    @usableFromInline var occupied: UnsafeMutablePointer<Bool>
    @usableFromInline var capacity = 0
    @usableFromInline var used = 0
    /// Slots taken back, the last freed last.
    @usableFromInline var free: [Int32] = []

    @inlinable public init() {
        values = .allocate(capacity: 0)
        occupied = .allocate(capacity: 0)
    }

    deinit {
        dropParked()
        values.deallocate()
        occupied.deallocate()
    }

    /// Parks `value`; the slot it waits in (the last one freed, if any).
    @inlinable @inline(__always) public mutating func park(_ value: consuming Element) -> Int32 {
        let slot: Int
        if let freed = free.popLast() {
            slot = Int(freed)
        } else {
            if used == capacity { grow() }
            slot = used
            used += 1
        }
        (values + slot).initialize(to: value)
        occupied[slot] = true
        return Int32(truncatingIfNeeded: slot)
    }

    /// Takes back the value parked in `slot`, which is free from then on.
    @inlinable @inline(__always) public mutating func take(_ slot: Int32) -> Element {
        let index = Int(slot)
        precondition(
            UInt(bitPattern: index) < UInt(bitPattern: used) && occupied[index],
            "no value is parked in this slot")
        occupied[index] = false
        free.append(slot)
        return (values + index).move()
    }

    /// Drops every parked value.
    @inlinable public mutating func removeAll() {
        dropParked()
        used = 0
        free.removeAll()
    }

    /// Doubles the room, moving the parked values over.
    @usableFromInline mutating func grow() {
        let larger = Swift.max(16, capacity * 2)
        let newValues = UnsafeMutablePointer<Element>.allocate(capacity: larger)
        let newOccupied = UnsafeMutablePointer<Bool>.allocate(capacity: larger)
        newOccupied.initialize(repeating: false, count: larger)
        for slot in 0..<used where occupied[slot] {
            (newValues + slot).moveInitialize(from: values + slot, count: 1)
            newOccupied[slot] = true
        }
        values.deallocate()
        occupied.deallocate()
        values = newValues
        occupied = newOccupied
        capacity = larger
    }

    /// Deinitializes every value still parked.
    @usableFromInline func dropParked() {
        for slot in 0..<used where occupied[slot] {
            (values + slot).deinitialize(count: 1)
            occupied[slot] = false
        }
    }
}
