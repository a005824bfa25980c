import Futures
import Testing

@Suite struct FutureStatusTests {
    /// The table of DESIGN.md, written out pair by pair.
    static let allowed: Set<[FutureStatus]> = [
        [.pending, .running], [.pending, .finished], [.pending, .error], [.pending, .cancelled],
        [.running, .finished], [.running, .error], [.running, .pending], [.running, .cancelled],
        [.finished, .lost],
        [.lost, .pending], [.lost, .running], [.lost, .cancelled],
    ]

    @Test(arguments: FutureStatus.allCases, FutureStatus.allCases)
    func transitionTable(from: FutureStatus, to: FutureStatus) {
        #expect(from.canTransition(to: to) == Self.allowed.contains([from, to]))
    }

    @Test func doneAndFinal() {
        #expect(FutureStatus.allCases.filter(\.isDone) == [.finished, .error, .cancelled])
        #expect(FutureStatus.allCases.filter(\.isFinal) == [.error, .cancelled])
        for status in FutureStatus.allCases where status.isFinal {
            #expect(FutureStatus.allCases.allSatisfy { !status.canTransition(to: $0) })
        }
    }
}
