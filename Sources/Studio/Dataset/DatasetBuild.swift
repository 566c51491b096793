import Foundation
import LofiVAE

/// Training samples from a dataset folder: Hooktheory TheoryTab sections (`*_roman.json`,
/// processed as the original Lofi project did) or POP909 songs (cut into phrases). Each
/// sample becomes `OUT/<source>-<song>-<n>.json`.
public struct DatasetBuild: Sendable {
    public enum Source: String, Sendable, CaseIterable { case hooktheory, pop909 }

    public var source: Source
    public var input: URL
    public var output: URL
    /// POP909: cuts per song with other phrase boundaries.
    public var cuts: Int
    /// Replace the samples an earlier build left in the output folder.
    public var force: Bool

    public init(source: Source, input: URL, output: URL, cuts: Int = 1, force: Bool = false) {
        self.source = source; self.input = input; self.output = output; self.cuts = cuts; self.force = force
    }

    /// What a build did.
    public struct Report: Sendable {
        /// Files (Hooktheory) or song folders (POP909) read.
        public var unitsRead: Int
        /// Samples on disk after the build, counted from the folder.
        public var samplesWritten: Int
        /// Everything skipped or mapped, by reason.
        public var counts: [String: Int]
        /// The first sample that could not be written, and how many failed.
        public var firstFailure: String?
        public var failures: Int
    }

    /// The sample files (`*.json`, not hidden) directly in `dir`.
    public static func sampleFiles(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    /// The units (files or song folders) the build reads, in order.
    public func units() throws(StudioError) -> [URL] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input.path, isDirectory: &isDir), isDir.boolValue else {
            throw StudioError(input.relativePath, "not a folder")
        }
        let units: [URL]
        switch source {
        case .hooktheory:
            units = ((FileManager.default.enumerator(at: input, includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? [])
                .filter { $0.lastPathComponent.hasSuffix("_roman.json") }.sorted { $0.path < $1.path }
        case .pop909:
            // fileExists follows symbolic links: a linked song folder is a song folder.
            units = ((try? FileManager.default.contentsOfDirectory(at: input, includingPropertiesForKeys: nil)) ?? [])
                .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0.path, isDirectory: &d) && d.boolValue }
                .sorted { $0.path < $1.path }
        }
        guard !units.isEmpty else {
            throw StudioError(input.relativePath, "no \(source == .hooktheory ? "*_roman.json files" : "song folders") found")
        }
        return units
    }

    public func run(progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws(StudioError) -> Report {
        let units = try self.units()
        // Samples left from an earlier build would be trained on with the new ones.
        let stale = Self.sampleFiles(in: output)
        if !stale.isEmpty && !force {
            throw StudioError(output.relativePath, "already holds \(stale.count) samples (*.json); pass --force to replace them or choose an empty folder")
        }
        try AtomicFile.createFolder(output)
        for name in stale where unlink(output.appendingPathComponent(name).path) != 0 {
            throw StudioError("\(output.relativePath)/\(name)", "cannot remove the old sample: \(String(cString: strerror(errno)))")
        }
        cancellation?.writes(into: output)
        let root = input.standardizedFileURL.path
        let source = self.source, cuts = self.cuts
        let results = concurrentMap(units.count) { k -> ImportResult in
            let url = units[k]
            defer { progress?(.worked) }
            switch source {
            case .pop909:
                return POP909Importer(cuts: cuts).importSong(at: url)
            case .hooktheory:
                let rel = String(url.standardizedFileURL.path.dropFirst(root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                return HooktheoryImporter.importFile(url, song: "hooktheory/" + (rel as NSString).deletingLastPathComponent)
            }
        }
        var report = Report(unitsRead: units.count, samplesWritten: 0, counts: [:], firstFailure: nil, failures: 0)
        // Numbered per song across all its sections (a song's sections are separate files),
        // and never a name given twice: "a/b" and "a-b" both flatten to "a-b".
        var perGroup: [String: Int] = [:]
        var used = Set<String>()
        for r in results {
            for (k, v) in r.counts { report.counts[k, default: 0] += v }
            for s in r.samples {
                let flat = s.group.replacingOccurrences(of: "/", with: "-")
                var name: String
                repeat {
                    perGroup[s.group, default: 0] += 1
                    name = flat + "-\(String(format: "%03d", perGroup[s.group]!)).json"
                } while used.contains(name)
                used.insert(name)
                do {
                    try AtomicFile.write(Array((s.jsonString() + "\n").utf8), to: output.appendingPathComponent(name))
                } catch {
                    report.failures += 1
                    if report.firstFailure == nil { report.firstFailure = "\(error)" }
                }
            }
        }
        // What is on disk, counted from the folder, not from what was attempted.
        report.samplesWritten = Self.sampleFiles(in: output).filter(used.contains).count
        return report
    }
}
