import Foundation
import Theory

/// One song taken from the inputs, with the name its outputs get and where it came from.
public struct SongItem: Sendable {
    /// Output name without extension, possibly with subfolders ("set/track-003").
    public let name: String
    /// Where it came from, for messages ("list.json").
    public let source: String
    public let song: Result<Song, SongFileError>
}

/// Songs from files, array files, folders of `*.json` (recursively) and `-` (stdin). A bad
/// song is an item holding its error, so a batch can report it and go on.
public struct SongFiles: Sendable {
    public private(set) var items: [SongItem] = []
    /// Whether an input was a folder or several songs were given (so the output is a folder).
    public private(set) var isBatch = false

    public init(_ paths: [String]) throws(StudioError) {
        var files: [(url: URL?, base: String)] = []
        isBatch = paths.count > 1
        for path in paths {
            if path == "-" { files.append((nil, "stdin")); continue }
            let url = URL(fileURLWithPath: path)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
                throw StudioError(path, "no such file or directory")
            }
            if isDir.boolValue {
                isBatch = true
                let found = try Self.jsonFiles(in: url)
                if found.isEmpty { throw StudioError(path, "folder holds no .json files") }
                files += found.map { (Optional($0.url), $0.relative) }
            } else {
                files.append((url, url.deletingPathExtension().lastPathComponent))
            }
        }
        // Parse in parallel: a dataset folder can hold tens of thousands of files.
        let parsed = concurrentMap(files.count) { k -> [SongItem] in
            let file = files[k]
            let label = file.url?.path ?? "stdin"
            let data: Data
            do {
                if let url = file.url { data = try Data(contentsOf: url) } else { data = FileHandle.standardInput.readDataToEndOfFile() }
            } catch {
                return [SongItem(name: file.base, source: label, song: .failure(SongFileError("cannot read: \(AtomicFile.reason(error))")))]
            }
            do throws(SongFileError) {
                let songs = try Song.decodeDocument(data)
                if songs.count == 1 { return [SongItem(name: file.base, source: label, song: songs[0])] }
                return songs.enumerated().map { i, s in
                    SongItem(name: "\(file.base)-\(OutputNames.number(i + 1, of: songs.count))", source: label, song: s)
                }
            } catch {
                return [SongItem(name: file.base, source: label, song: .failure(error))]
            }
        }
        items = parsed.flatMap { $0 }
        if items.count > 1 { isBatch = true }
    }

    /// A song document (one song or an array) read whole: every song must be valid.
    public static func songs(in path: String) throws(StudioError) -> [Song] {
        let data = try AtomicFile.read(path)
        do { return try Song.decodeDocument(data).map { r throws(SongFileError) in try r.get() } } catch {
            throw StudioError(path, "\(error)")
        }
    }

    static func jsonFiles(in dir: URL) throws(StudioError) -> [(url: URL, relative: String)] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw StudioError(dir.path, "cannot list folder")
        }
        let root = dir.standardizedFileURL.path
        var out: [(URL, String)] = []
        for case let url as URL in e where url.pathExtension.lowercased() == "json" {
            let path = url.standardizedFileURL.path
            var rel = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : url.lastPathComponent
            if rel.hasPrefix("/") { rel.removeFirst() }
            out.append((url, String(rel.dropLast(5))))
        }
        return out.sorted { $0.1 < $1.1 }
    }
}
