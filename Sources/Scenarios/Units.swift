import Scheduling

/// Parses `10ms`, `1.5s`, `2m`, `500us`, `100ns` into nanoseconds; `nil` if it is not one.
func parseDuration(_ text: String) -> Nanoseconds? {
    let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]
    return parse(text, units: units)
}

/// Parses `10MB`, `4GiB`, `100B`, or a plain integer number of bytes; `nil` if it is not one.
func parseSize(_ text: String) -> Int64? {
    if let bytes = Int64(text), bytes >= 0 { return bytes }
    let units: [(String, Double)] = [
        ("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]
    return parse(text, units: units)
}

/// Parses `10MB/s`, `1GB/s` into bytes per second.
func parseBandwidth(_ text: String) -> Int64? {
    guard text.hasSuffix("/s") else { return nil }
    return parseSize(String(text.dropLast(2))).flatMap { $0 > 0 ? $0 : nil }
}

private func parse(_ text: String, units: [(String, Double)]) -> Int64? {
    let trimmed = text.trimmingWhitespace
    // Longest unit first, so `ms` is not read as `m` + `s`.
    for (unit, scale) in units.sorted(by: { $0.0.count > $1.0.count }) where trimmed.hasSuffix(unit)
    {
        let number = trimmed.dropLast(unit.count).trimmingWhitespace
        // A whole number of a whole unit is exact, past the 53 bits a double holds.
        if let whole = Int64(number), whole >= 0, let exact = Int64(exactly: scale) {
            let (product, overflow) = whole.multipliedReportingOverflow(by: exact)
            return overflow ? nil : product
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        let result = (value * scale).rounded()
        guard result < 9.2e18 else { return nil }
        return Int64(result)
    }
    return nil
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// Renders nanoseconds the way scenario files write them.
public func formatDuration(_ nanoseconds: Nanoseconds) -> String {
    let value = Double(nanoseconds)
    switch nanoseconds {
    case 0: return "0s"
    case ..<1_000: return "\(nanoseconds)ns"
    case ..<1_000_000: return trim(value / 1e3) + "us"
    case ..<1_000_000_000: return trim(value / 1e6) + "ms"
    default: return trim(value / 1e9) + "s"
    }
}

private func trim(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
}
