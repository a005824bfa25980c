import Foundation
import Orrery

/// libFuzzer's entry point: any bytes as a scenario file. The loader must take them or refuse
/// them with a located error; a scenario it takes must survive being written out and read back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioLoader(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let scenario: Scenario
    do {
        scenario = try ScenarioLoader.load(
            try ScenarioLoader.text(of: data, file: "fuzz.yaml"), file: "fuzz.yaml")
    } catch {
        // Only problems of the whole file may lack a line.
        let wholeFile = error.message.contains("empty") || error.message.contains("no tasks")
        if error.line == 0 && !wholeFile { fatalError("unlocated: \(error)") }
        return 0
    }
    let written = ScenarioWriter.yaml(scenario)
    do {
        let again = try ScenarioLoader.load(written, file: "written.yaml")
        if ScenarioWriter.yaml(again) != written {
            fatalError("writing the scenario read back changed it:\n\(written)")
        }
    } catch {
        fatalError("the writer wrote a scenario the loader refuses: \(error)\n\(written)")
    }
    return 0
}
