import Foundation
import Testing

/// Expects the committed `file` to hold `generated`, the text a generator makes from the
/// loader's tables; with `RECORD_SNAPSHOTS=1` it first writes `generated` there. `suite`
/// names the tests that re-record it, for the message.
func expectCurrent(_ file: URL, is generated: String, suite: String) throws {
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try generated.write(to: file, atomically: true, encoding: .utf8)
    }
    #expect(
        try String(contentsOf: file, encoding: .utf8) == generated,
        "\(file.lastPathComponent) is stale: run RECORD_SNAPSHOTS=1 swift test --filter \(suite)")
}
