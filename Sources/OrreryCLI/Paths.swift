import Foundation

/// Whether two paths name one file, through symbolic links and relative parts: a command
/// that writes a file never writes over what it reads.
func sameFile(_ first: String, _ second: String) -> Bool {
    func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
    return resolved(first) == resolved(second)
}
