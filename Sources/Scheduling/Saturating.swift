extension Int64 {
    /// `value` rounded toward zero and held to Int64's range (NaN is 0): for times and sizes
    /// computed in floating point (scaled by a time scale, or bytes over a bandwidth) that
    /// extreme inputs can carry past it. A run saturates rather than traps.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 0x1p63 {
            // 2^63, the first double past Int64.max.
            self = .max
        } else if value <= -0x1p63 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}

extension Int64 {
    /// `self + other`, held to Int64's range: for model times and sizes summed from values a
    /// scenario gave (a latency of centuries after a long run), where a run saturates at the
    /// end of time rather than traps.
    @inlinable
    package func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension Int64 {
    /// `self × other`, held to Int64's range (see ``saturatingAdd(_:)``).
    @inlinable
    package func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }
}
