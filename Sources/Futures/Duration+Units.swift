extension Duration {
    /// The duration in whole nanoseconds (toward zero): the unit of virtual and monotonic
    /// clocks here. Durations past Int64's nanoseconds (about 292 years) saturate: a deadline
    /// that far away is no deadline, and one that far back has passed.
    package var nanoseconds: Int64 {
        // Compared first: `components` itself traps once the seconds pass Int64.
        if self >= .nanoseconds(Int64.max) { return .max }
        if self <= .nanoseconds(Int64.min) { return .min }
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration in seconds, for figures.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
