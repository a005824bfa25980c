#if canImport(Glibc)
    import Glibc
#endif
import Scheduling
import Testing

/// The same events give the same commands, in this process and in another one (whose
/// `Hasher` seed differs, so any dictionary or set order reaching a decision would show).
@Suite struct DeterminismTests {
    /// FNV-1a over the commands' text: stable across processes, unlike `Hasher`.
    static func fingerprint(seed: Int) -> UInt64 {
        let (h, _) = RandomEventTests.randomRun(seed: seed, steps: 400)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for command in h.log {
            for byte in String(describing: command).utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    @Test func sameEventsSameCommandsInThisProcess() {
        #expect(Self.fingerprint(seed: 5) == Self.fingerprint(seed: 5))
        #expect(Self.fingerprint(seed: 5) != Self.fingerprint(seed: 6))
    }

    @Test func sameEventsSameCommandsInAnotherProcess() async {
        let expected = Self.fingerprint(seed: 4)
        await #expect(processExitsWith: .success) { [expected = expected as UInt64] in
            exit(Self.fingerprint(seed: 4) == expected ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }
}
