import Foundation
import Theory

/// Songs arranged and written as Standard MIDI Files, all cores at once. One song in → the
/// output is the file; several → a folder (created), with array elements numbered and a
/// folder input's layout kept. A bad song is reported and skipped; the rest are written.
public struct MidiBatch: Sendable {
    public var inputs: SongFiles
    public var output: URL
    /// The output is a folder (several songs, an existing folder, or a path ending in "/").
    public var outputIsFolder: Bool
    public var seed: UInt64
    public var force: Bool
    /// Keep existing files and count them as skipped.
    public var skipExisting: Bool

    /// `output` nil: beside the one input file, with `.mid`.
    public init(inputs: SongFiles, inputPaths: [String], output: String?, seed: UInt64 = 0, force: Bool = false, skipExisting: Bool = false) throws(StudioError) {
        let outURL: URL
        if let output {
            outURL = URL(fileURLWithPath: output)
        } else if !inputs.isBatch, let only = inputPaths.first, only != "-" {
            outURL = URL(fileURLWithPath: only).deletingPathExtension().appendingPathExtension("mid")
        } else {
            throw StudioError("-o/--output is required for stdin, folders and several songs")
        }
        var isDir: ObjCBool = false
        let outIsDir = FileManager.default.fileExists(atPath: outURL.path, isDirectory: &isDir) && isDir.boolValue
        self.inputs = inputs
        self.output = outURL
        outputIsFolder = inputs.isBatch || outIsDir || (output?.hasSuffix("/") ?? false)
        self.seed = seed; self.force = force; self.skipExisting = skipExisting
    }

    public enum Outcome: Sendable {
        case written, skipped
        /// One line naming the input or output and the problem.
        case failed(String)
    }

    /// What became of each song, in input order.
    public func run(progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws(StudioError) -> [Outcome] {
        var targets: [URL] = []
        if outputIsFolder {
            try AtomicFile.createFolder(output)
            targets = inputs.items.map { output.appendingPathComponent($0.name + ".mid") }
            // Subfolders mirrored from a folder input, created once up front.
            for dir in Set(targets.map { $0.deletingLastPathComponent().path }) where dir != output.path {
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
        } else {
            targets = [output]
        }
        // Two inputs that map to one file (a/x.json and b/x.json, or an array's x-001 next to
        // a file x-001.json) would overwrite each other: neither is written, both are named.
        var claimants: [String: [String]] = [:]
        for (item, target) in zip(inputs.items, targets) { claimants[target.standardizedFileURL.path, default: []].append(item.source) }
        let collisions = claimants.filter { $0.value.count > 1 }
        for dir in Set(targets.map { $0.deletingLastPathComponent().path }).sorted() { cancellation?.writes(into: URL(fileURLWithPath: dir)) }
        let seed = self.seed, force = self.force, skipExisting = self.skipExisting
        let pairs = Array(zip(inputs.items, targets))
        return concurrentMap(pairs.count) { k -> Outcome in
            let (item, target) = pairs[k]
            defer { progress?(.worked) }
            if cancellation?.isCancelled == true { return .failed("\(item.source): cancelled") }
            if let sources = collisions[target.standardizedFileURL.path] {
                return .failed("\(item.source): its output \(target.path) is also the output of \(sources.filter { $0 != item.source }.joined(separator: ", ")); none of them is written (convert them separately or rename one)")
            }
            switch item.song {
            case .failure(let e):
                return .failed("\(item.source): \(e)")
            case .success(let song):
                if !force && access(target.path, F_OK) == 0 {
                    if skipExisting { return .skipped }
                    return .failed("\(target.path): already exists; pass --force to overwrite or --skip-existing to keep it")
                }
                do {
                    let bytes = try Arranger().arrange(song, seed: seed).midiData
                    try AtomicFile.write(bytes, to: target)
                    return .written
                } catch {
                    return .failed("\(error)")
                }
            }
        }
    }
}
