import Crypto
import Foundation
import LofiVAE
import Render
import Theory

/// The playlist's settings: everything that decides its tracks' bytes. A re-run, a shard or
/// a merge must match them.
struct PlaylistSettings: Codable, Equatable {
    var count: Int
    var seed: UInt64
    var model: String
    var modelSHA256: String
    var format: String
    var sampleRate: Double
    var loudness: Double
    var truePeak: Double
    var effects: String
    var soundfont: String
    /// The soundfont's size and SHA-256: another file of the same name sounds different.
    var soundfontSize: Int?
    var soundfontSHA256: String?
    var constraints: SongConstraints?
    var maxTries: Int?
    var morph: [String]?
    /// How melody notes were decoded ("argmax" or the sampling settings).
    var melody: String?
}

/// One finished track.
struct PlaylistTrack: Codable, Equatable {
    var index: Int
    /// Arrangement and effects seed of the track.
    var seed: UInt64
    /// Where its latent came from: the sampler's (seed, index), or a morph position.
    var latentSeed: UInt64?
    var latentIndex: Int?
    var morphPosition: Double?
    var title: String
    var key: String
    var mode: String
    var bpm: Double
    var energy: Double
    var valence: Double
    var duration: Double
    var files: [String: String]
    var sizes: [String: Int]
    var sha256: [String: String]
}

/// `playlist.json`: settings and finished tracks, written after every track.
struct PlaylistIndex: Codable, Equatable {
    var settings: PlaylistSettings
    var shard: String?
    var tracks: [PlaylistTrack]

    static let fileName = "playlist.json"
    static let m3uName = "playlist.m3u8"

    func jsonBytes() throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try enc.encode(self)) + [0x0A]
    }

    static func read(_ dir: URL) throws -> PlaylistIndex? {
        let url = dir.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let index: PlaylistIndex
        do {
            index = try JSONDecoder().decode(PlaylistIndex.self, from: Data(contentsOf: url))
        } catch {
            throw CLIError("\(url.path): damaged playlist index (\(error.localizedDescription)); move it away to start over")
        }
        if let problem = index.problem() { throw CLIError("\(url.path): \(problem); refusing to use it") }
        return index
    }

    /// The largest playlist the command makes (`-n`).
    static let maxCount = 100_000

    /// What is wrong with an index read from a folder (it may come from anyone: shards travel
    /// between machines), or nil. Its file names are used as paths, so each must be exactly a
    /// name the producer gives: "NNN - Title.ext" in the folder itself, never "../…" or "a/b".
    func problem() -> String? {
        guard (1...Self.maxCount).contains(settings.count) else { return "count \(settings.count) is outside 1…\(Self.maxCount)" }
        guard let format = AudioFormat(rawValue: settings.format) else { return "unknown audio format '\(settings.format)'" }
        let extensions = ["audio": format.fileExtension, "json": "json", "midi": "mid"]
        var seen = Set<Int>()
        for t in tracks {
            guard (1...settings.count).contains(t.index), seen.insert(t.index).inserted else {
                return "track number \(t.index) is outside 1…\(settings.count) or appears twice"
            }
            let prefix = PlaylistProducer.namePrefix(t.index, count: settings.count)
            guard Set(t.files.keys) == Set(extensions.keys) else { return "track \(t.index) lists files \(t.files.keys.sorted()), not audio, json and midi" }
            for (kind, name) in t.files {
                guard Self.isPlainName(name), name.hasPrefix(prefix), name.hasSuffix("." + extensions[kind]!) else {
                    return "track \(t.index)'s \(kind) file name '\(name)' is not one this program writes (\(prefix)Title.\(extensions[kind]!))"
                }
            }
        }
        return nil
    }

    /// A file name in the folder itself: no separator, not hidden, no control characters.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\")
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Extended M3U: duration and title per track, in order.
    func m3u8() -> String {
        var s = "#EXTM3U\n"
        for t in tracks.sorted(by: { $0.index < $1.index }) {
            s += "#EXTINF:\(Int(t.duration.rounded())),\(t.title)\n\(t.files["audio"] ?? "")\n"
        }
        return s
    }

    func write(to dir: URL) throws {
        var sorted = self
        sorted.tracks.sort { $0.index < $1.index }
        try AtomicFile.write(sorted.jsonBytes(), to: dir.appendingPathComponent(Self.fileName))
        try AtomicFile.write(Array(sorted.m3u8().utf8), to: dir.appendingPathComponent(Self.m3uName))
    }
}

enum FileDigest {
    /// Size and SHA-256 of a file, read in 1 MiB pieces (a soundfont is 140 MB).
    static func sha256(_ url: URL) -> (size: Int, digest: String)? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256(), size = 0
        while true {
            // nil or empty at the end of the file (Foundation gives either); a failed read throws.
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { return nil }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (size, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// Whether the files of `track` are all in `dir` with their recorded size and hash.
    static func verify(_ track: PlaylistTrack, in dir: URL) -> Bool {
        for (kind, name) in track.files {
            guard let got = sha256(dir.appendingPathComponent(name)), got.size == track.sizes[kind], got.digest == track.sha256[kind] else { return false }
        }
        return !track.files.isEmpty
    }
}
