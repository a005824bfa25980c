/// One mapping of the scenario format: the keys it allows, in the order messages list them,
/// each with the shape of its value, its default and what it means.
///
/// The loader refuses any key a table does not list, and the JSON Schema and the key reference
/// are generated from the same tables, so the three cannot disagree about what a file may say.
public struct KeyTable: Sendable {
    /// The name the schema and the reference give this mapping, like `worker`.
    public let name: String
    /// What the mapping describes, in one sentence.
    public let summary: String
    public let keys: [FormatKey]
    /// Keys of which the mapping holds exactly one (a distribution, a client verb), or at least
    /// one; empty when any subset will do.
    public let choice: Choice

    /// How many of a group of keys a mapping must hold.
    public enum Choice: Sendable {
        case none
        /// Exactly one of these keys, which says what the entry is.
        case exactlyOne([String])
        /// At least one of these keys.
        case atLeastOne([String])
    }

    public init(_ name: String, _ summary: String, choice: Choice = .none, keys: [FormatKey]) {
        self.name = name
        self.summary = summary
        self.keys = keys
        self.choice = choice
    }

    /// The key names, in the table's order.
    public var names: [String] { keys.map(\.name) }
}

/// One key of a ``KeyTable``: its name, the shape of its value, its default, its meaning.
public struct FormatKey: Sendable {
    public let name: String
    public let value: ValueShape
    /// Whether every entry of its mapping must give it.
    public let required: Bool
    /// The value it takes when left out, as a file writes it; `nil` when leaving it out means
    /// "none" (no limit, no restriction) or when it is required.
    public let defaultValue: String?
    /// What it means, in a sentence or two.
    public let summary: String

    public init(
        _ name: String, _ value: ValueShape, required: Bool = false,
        default defaultValue: String? = nil,
        _ summary: String
    ) {
        self.name = name
        self.value = value
        self.required = required
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// What a key's value may be.
public indirect enum ValueShape: Sendable {
    /// Any non-empty text.
    case text
    /// One of these words.
    case word([String])
    /// `true` or `false`.
    case boolean
    /// `true` only: a flag whose presence says it all.
    case trueOnly
    /// A whole number within the bounds.
    case integer(minimum: Int?, maximum: Int?)
    /// A number within the bounds (inclusive); `infinite` allows `inf`.
    case number(minimum: Double?, maximum: Double?, infinite: Bool)
    /// A number above zero, up to `maximum`; `infinite` allows `inf`.
    case positiveNumber(maximum: Double?, infinite: Bool)
    /// A duration with its unit, like `10ms` (ns, us, ms, s, m, h).
    case duration
    /// A size in bytes, like `10MB` or `4096` (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB).
    case size
    /// A rate, like `100MB/s`.
    case bandwidth
    /// A fraction of the memory limit (0 < x ≤ 1), or `false` for none.
    case fraction
    /// One name, or a list of names.
    case names
    /// A list of exactly two names (endpoints, or tasks in order).
    case namePair
    /// A mapping of resource names to amounts, like `{GPU: 1}`.
    case resources
    /// A list of values of one shape.
    case list(ValueShape)
    /// A nested mapping.
    case table(KeyTable)
    /// Any of these shapes.
    case either([ValueShape])
}
