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
