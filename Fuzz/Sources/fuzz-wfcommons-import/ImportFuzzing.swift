import Foundation
import Orrery

/// libFuzzer's entry point: any bytes as a WfCommons instance. The importer must refuse them
/// with a message naming the file, or build a scenario the loader takes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWfCommonsImport(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    do {
        let workflow = try WfCommonsImporter.read(data, file: "fuzz.json")
        _ = try WfCommonsImporter.scenario(
            workflow, source: "fuzz.json", workers: nil, threads: nil)
    } catch let problem as WfCommonsImporter.Problem {
        if !problem.description.hasPrefix("fuzz.json") { fatalError("unnamed: \(problem)") }
    } catch {
        fatalError("an error that is not a Problem: \(error)")
    }
    return 0
}
