/// Where a driver's queued entry keeps its work: a driver parks cluster events and other code
/// (client callbacks, actions handed over) in slot tables of their own, so each is taken out
/// as what it is, not copied out of a case that wraps it.
public enum ParkedWork: Equatable, Sendable {
    /// A cluster event, by its slot.
    case event(Int32)
    /// Other code, by its slot.
    case action(Int32)
}
