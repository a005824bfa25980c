@testable import Scheduling
import Testing

/// Times computed in floating point hold to Int64's range instead of trapping.
@Suite struct SaturatingTests {
    @Test func doublesSaturate() {
        #expect(Int64(saturating: 1e300) == .max)
        #expect(Int64(saturating: -1e300) == .min)
        #expect(Int64(saturating: .infinity) == .max)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 9.3e18) == .max)
        #expect(Int64(saturating: 12.7) == 12)
    }

    /// A result far larger than the bandwidth can move in Int64 nanoseconds.
    @Test func transferTimeOfAHugeResultSaturates() {
        var configuration = SchedulerConfiguration()
        configuration.bandwidth = 1
        let scheduler = Scheduler(configuration: configuration, policy: LocalityPolicy())
        #expect(scheduler.transferTime(Int64.max) == .max)
    }
}
