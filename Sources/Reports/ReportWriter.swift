import Foundation

/// Writes a run's report folder: `DIR/<scenario>/<mode>-seed<N>/` (`<mode>-<policy>-seed<N>/`
/// for a policy other than the scenario file's, so two policies never share one) with `trace.jsonl`,
/// `summary.json`, `summary.md`, `gantt.svg` and `index.html`. The folder is written whole
/// beside its place and renamed into it, so a reader (or a run killed half-way) sees the old
/// report or the new one, never a new trace beside an old summary.
public enum ReportWriter {
    /// The folder a run's report goes to; `filePolicy` is the scenario file's own policy, which
    /// the folder's name leaves out.
    public static func folder(for header: RunRecord.Header, in root: String, filePolicy: String)
        -> URL
    {
        let scenario = header.scenario.map {
            $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_"
        }
        let policy = header.policy == filePolicy ? "" : "-\(header.policy)"
        return URL(fileURLWithPath: root).appendingPathComponent(String(scenario))
            .appendingPathComponent("\(header.mode)\(policy)-seed\(header.seed)")
    }

    /// Renders everything from the record and writes it; returns the index page's path.
    /// `trace` is the text of a trace.jsonl that exists already (a report rendered again from
    /// it), kept as it is; without it the trace is rendered from the record.
    @discardableResult
    public static func write(_ record: RunRecord, to folder: URL, trace: String? = nil)
        throws -> URL
    {
        var files = try render(record)
        files.insert(("trace.jsonl", try trace ?? record.jsonLines()), at: 0)
        try replaceFolder(folder, with: files)
        return folder.appendingPathComponent("index.html")
    }

    /// Puts `files` in `folder` in place of the ones it held: written into a hidden sibling
    /// with a copy of everything else the folder held (a recorded run's `scenario.yaml`, a
    /// comparison), which then takes the folder's place; what a killed earlier write left
    /// beside it goes first.
    static func replaceFolder(_ folder: URL, with files: [(String, String)]) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        let name = folder.lastPathComponent
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError("\(parent.path): error: cannot make the folder: \(reason(error))")
        }
        for leftover in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
        where leftover.hasPrefix(".\(name).") && leftover.hasSuffix(".tmp") {
            try? manager.removeItem(at: parent.appendingPathComponent(leftover))
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).\(pid).new.tmp")
        let old = parent.appendingPathComponent(".\(name).\(pid).old.tmp")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for (file, text) in files {
                try Data(text.utf8).write(to: staging.appendingPathComponent(file))
            }
            let written = Set(files.map(\.0))
            for other in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            where !written.contains(other) {
                try manager.copyItem(
                    at: folder.appendingPathComponent(other),
                    to: staging.appendingPathComponent(other))
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw ReportError("\(folder.path): error: cannot write the report: \(reason(error))")
        }
        // The new folder and the old swap places in one step where the system can; the old
        // one, now in the staging place, goes after.
        if exchange(staging.path, folder.path) {
            try? manager.removeItem(at: staging)
            return
        }
        // Else in two renames: a kill between them leaves no folder (and the old one aside,
        // which the next write clears), never a mix of the two.
        let hadOld = rename(folder.path, old.path) == 0
        guard rename(staging.path, folder.path) == 0 else {
            if hadOld { _ = rename(old.path, folder.path) }
            try? manager.removeItem(at: staging)
            throw ReportError("\(folder.path): error: cannot move the report into place")
        }
        if hadOld { try? manager.removeItem(at: old) }
    }

    /// Swaps the entries at two paths atomically (Linux's `renameat2` with `RENAME_EXCHANGE`,
    /// looked up at run time since Glibc's module does not declare it; Darwin's
    /// `renamex_np` with `RENAME_SWAP`); `false` where the system, the file system or the
    /// paths do not allow it (one of them missing, for one).
    package static func exchange(_ first: String, _ second: String) -> Bool {
        #if canImport(Darwin)
            return renamex_np(first, second, UInt32(RENAME_SWAP)) == 0
        #elseif canImport(Glibc)
            typealias RenameAt2 =
                @convention(c) (
                    Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
                ) -> Int32
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return false }
            let renameExchange: UInt32 = 1 << 1
            return unsafeBitCast(symbol, to: RenameAt2.self)(
                AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
        #else
            return false
        #endif
    }

    /// Why a file operation failed, in one line.
    static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying.map({ Int32($0.code) }), underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(code)).lowercased()
        }
        return (error as NSError).localizedDescription
    }

    /// Checks that reports can go under `root` before anything runs, making the folder if it
    /// is missing (so a place that only looks writable, as to a superuser, is found out now);
    /// the problem in one line if not.
    public static func checkFolder(_ root: String) -> String? {
        if let problem = checkWritable(root, asFolder: true) { return problem }
        var made = root.hasPrefix("/") ? "" : "."
        for component in root.split(separator: "/") {
            made += "/" + component
            if mkdir(made, 0o777) != 0, errno != EEXIST {
                return "\(root): error: cannot make the folder: "
                    + String(cString: strerror(errno)).lowercased()
            }
        }
        return nil
    }

    /// Checks that a file can be written at `path` (its folder exists and takes files, tried
    /// with an empty file that is removed again, and the path is not a folder); the problem in
    /// one line if not.
    public static func checkFile(_ path: String) -> String? {
        if let problem = checkWritable(path, asFolder: false) { return problem }
        let probe = URL(fileURLWithPath: path).deletingLastPathComponent()
            .appendingPathComponent(".\(ProcessInfo.processInfo.processIdentifier).orrery-probe")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            return "\(path): error: cannot write in \(probe.deletingLastPathComponent().path)"
        }
        try? FileManager.default.removeItem(at: probe)
        return nil
    }

    private static func checkWritable(_ path: String, asFolder: Bool) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue != asFolder {
                return "\(path): error: \(asFolder ? "not a folder" : "a folder, not a file")"
            }
            let target = asFolder ? path : (path as NSString).deletingLastPathComponent
            return access(target.isEmpty ? "." : target, W_OK) == 0
                ? nil : "\(path): error: cannot write here (permission denied)"
        }
        // The nearest folder that exists must take new entries.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        let existing = ancestor.isEmpty ? "." : ancestor
        guard FileManager.default.fileExists(atPath: existing, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return "\(path): error: \(existing) is not a folder" }
        return access(existing, W_OK) == 0
            ? nil : "\(path): error: cannot write in \(existing) (permission denied)"
    }

    /// Every rendered file but the trace, by name, in a fixed order.
    public static func render(_ record: RunRecord) throws -> [(String, String)] {
        let metrics = Metrics(record)
        let gantt = Gantt(record)
        let title =
            "\(record.header.scenario) — \(record.header.mode), \(record.header.policy), seed \(record.header.seed)"
        return [
            ("summary.json", try SummaryRenderer.json(record, metrics)),
            ("summary.md", SummaryRenderer.markdown(record, metrics)),
            ("gantt.svg", GanttRenderer.svg(gantt, title: title)),
            (
                "index.html",
                HTMLRenderer.page(
                    record, metrics,
                    gantt: GanttRenderer.svg(gantt, title: title, standalone: false))
            ),
        ]
    }

    /// Writes through a temporary file next to `url`, then renames it into place.
    public static func writeAtomically(_ text: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw ReportError("\(url.path): error: cannot write: \(reason(error))")
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError("\(url.path): error: cannot move the report into place")
        }
    }
}
