import Testing

@testable import Cluster

/// Sizes in messages a user reads (a hang's paused worker): the largest decimal unit a size
/// rounds to one of, to a tenth.
@Suite struct SizeTextTests {
    @Test(
        arguments: [
            (0, "0B"), (512, "512B"), (949, "949B"), (950, "1KB"), (1_000, "1KB"),
            (1_049_999, "1MB"), (1_050_000, "1.1MB"), (90_000_000, "90MB"), (949_999, "950KB"),
            (999_999, "1MB"), (1_500_000_000, "1.5GB"), (2_000_000_000_000, "2000GB"),
        ] as [(Int64, String)])
    func sizes(bytes: Int64, text: String) {
        #expect(sizeText(bytes) == text)
    }
}
