import ArgumentParser
import Foundation
import Reports

extension OrreryCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a run's report again from its trace.jsonl alone.")

        @Argument(help: "A run's report folder (holding trace.jsonl).")
        var folder: String

        func run() throws {
            let folder = URL(fileURLWithPath: self.folder)
            let path = folder.appendingPathComponent("trace.jsonl").path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw failure("\(path): error: cannot read the trace")
            }
            do {
                let text = String(decoding: data, as: UTF8.self)
                let record = try RunRecord(jsonLines: text, file: path)
                let index = try ReportWriter.write(record, to: folder, trace: text)
                print("report: \(index.path)")
            } catch let error as ReportError {
                throw failure(error.description)
            }
        }
    }
}
