import ArgumentParser

/// Reads a seed as written after `--seed` or `--from`, a negative one included (so it is
/// refused for what it is, not taken for an option): a whole number from 0 to 2^64 − 1.
func seedArgument(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
        throw ValidationError(
            "a seed is a whole number from 0 to \(UInt64.max)")
    }
    return seed
}
