/// `value as? T` for a value carried as `any Sendable`, which nearly always holds exactly a
/// `T` (a task's result, a mapped item): that case is a comparison of types and a load, where
/// the runtime's general cast took about 400 instructions a task; anything else (a subclass,
/// a value to bridge or unwrap) takes the general cast.
@inline(__always)
func unbox<T>(_ value: any Sendable, as type: T.Type) -> T? {
    func open<Held: Sendable>(_ held: Held) -> T? {
        guard Held.self == T.self else { return held as? T }
        return withUnsafePointer(to: held) { UnsafeRawPointer($0).load(as: T.self) }
    }
    return open(value)
}
