/// One measured figure beside the baseline measured in the same run.
struct Figure {
    var name: String
    var unit: String
    var value: Double
    var baselineName: String
    var baseline: Double
    /// Decimals shown of the value and the baseline.
    var digits = 1

    var line: String {
        let ratio = baseline == 0 ? 0 : value / baseline
        return "\(pad(name, 46)) \(pad(format(value, digits: digits), 14)) \(pad(unit, 10))"
            + " baseline \(pad(baselineName, 34)) \(pad(format(baseline, digits: digits), 14))"
            + " (×\(format(ratio, digits: 2)))"
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func format(_ value: Double, digits: Int = 1) -> String {
    let scale = (0..<digits).reduce(1.0) { result, _ in result * 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}

/// Runs `body` (which performs `operations` operations) `repetitions` times and returns the
/// best rate, in operations per second.
func bestRate(operations: Int, repetitions: Int = 5, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var best = Duration.seconds(1_000_000)
    for _ in 0..<repetitions {
        let elapsed = clock.measure(body)
        best = min(best, elapsed)
    }
    return Double(operations) / seconds(best)
}

func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
