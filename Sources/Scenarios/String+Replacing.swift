extension String {
    /// The text with every `target` (one character) replaced, without Foundation.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(
            separator: replacement)
    }
}
