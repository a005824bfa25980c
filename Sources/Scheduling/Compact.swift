/// An optional kept in its wrapped type's own width, absence being one value the type never
/// takes (a time of `Int64.min`, a worker index of -1): `Int64?` takes 9 bytes and pads a
/// record to the next 8, and the scheduler, each worker and each graph update hold a record
/// per task.
@propertyWrapper
public struct Compact<Value: CompactlyOptional>: Hashable, Sendable {
    private var stored: Value.Stored

    public init(wrappedValue: Value?) {
        stored = wrappedValue?.compactStored ?? Value.absent
    }

    public var wrappedValue: Value? {
        get { stored == Value.absent ? nil : Value(compactStored: stored) }
        set { stored = newValue?.compactStored ?? Value.absent }
    }
}

/// A type with a value it never takes, which ``Compact`` uses for `nil`.
public protocol CompactlyOptional {
    associatedtype Stored: Hashable, Sendable
    /// What `nil` is stored as.
    static var absent: Stored { get }
    init(compactStored: Stored)
    var compactStored: Stored { get }
}

/// Times, durations and sizes: never `Int64.min`.
extension Int64: CompactlyOptional {
    public static var absent: Int64 { .min }
    public init(compactStored: Int64) { self = compactStored }
    public var compactStored: Int64 { self }
}

/// Worker ids: never negative.
extension WorkerID: CompactlyOptional {
    public static var absent: Int32 { -1 }
    public init(compactStored: Int32) { self.init(Int(compactStored)) }
    public var compactStored: Int32 { index }
}

/// Run ids: the scheduler's start at 1 and count up; never `UInt64.max`.
extension RunID: CompactlyOptional {
    public static var absent: UInt64 { .max }
    public init(compactStored: UInt64) { self.init(compactStored) }
    public var compactStored: UInt64 { value }
}
