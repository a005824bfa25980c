import Cluster
import Futures
import Testing

/// A client's timeouts past the clock's range, on either backend: a huge one waits for the
/// result (a simulation runs until it comes), a hugely negative one only looks.
@Suite struct ClusterExtremeTimeoutTests {
    @Test(arguments: Backend.allCases) func hugeTimeoutsWait(_ backend: Backend) throws {
        let h = Harness(backend)
        let future = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        #expect(try future.result(timeout: .seconds(Int64.max)) == 2)
        let more = h.client.submit("inc", 2, options: taking(second)) { $0 + 1 }
        let result = wait([more], timeout: .seconds(10_000_000_000), returnWhen: .allCompleted)
        #expect(result.notDone.isEmpty)
        #expect(h.backend.waitUntilQuiet(timeout: .seconds(Int64.max)))
        h.finish()
    }

    @Test(arguments: Backend.allCases) func negativeTimeoutsOnlyLook(_ backend: Backend) throws {
        let h = Harness(backend)
        let future = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        #expect(throws: TimeoutError.self) { try future.result(timeout: .seconds(-Int64.max)) }
        let result = wait([future], timeout: .seconds(-Int64.max), returnWhen: .allCompleted)
        #expect(result.notDone == [future])
        #expect(try future.result(timeout: h.patience) == 2)
        h.finish()
    }
}
