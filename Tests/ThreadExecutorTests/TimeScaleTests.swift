import Scheduling
import Testing

@testable import ThreadExecutor

/// Model time and wall-clock time in real mode: exact at the scale of 1, scaled and rounded
/// otherwise, saturating rather than trapping.
struct TimeScaleTests {
    @Test func atTheScaleOfOneTimesAreTakenAsTheyAre() {
        let configuration = ThreadConfiguration(timeScale: 1)
        // Past 2^53 a trip through floating point would round this odd number.
        let time: Nanoseconds = (1 << 60) + 1
        #expect(configuration.scaled(time) == time)
        #expect(configuration.modelled(time) == time)
        #expect(configuration.scaled(-7) == -7)
    }

    @Test func otherScalesMultiplyAndDivideRounding() {
        let configuration = ThreadConfiguration(timeScale: 0.001)
        #expect(configuration.scaled(1_000_000_000) == 1_000_000)
        #expect(configuration.scaled(1_499) == 1)
        #expect(configuration.scaled(1_500) == 2)
        #expect(configuration.modelled(1_000_000) == 1_000_000_000)
        let slow = ThreadConfiguration(timeScale: 1e12)
        #expect(slow.scaled(.max / 2) == .max)
    }
}
