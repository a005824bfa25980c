import Foundation

/// Runs a Python baseline and reads the numbers it prints on standard output (separated by
/// white space); `nil` when it does not start, fails, or prints something else.
///
/// - Parameter python: the interpreter; `nil` for whichever `python3` is on the path.
func pythonFigures(_ arguments: [String], python: String? = nil) -> [Double]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
    process.arguments = python == nil ? ["python3"] + arguments : arguments
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch { return nil }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let words = text.split(whereSeparator: \.isWhitespace)
    let numbers = words.compactMap { Double($0) }
    guard process.terminationStatus == 0, !numbers.isEmpty, numbers.count == words.count
    else { return nil }
    return numbers
}
