import Foundation
import Render
import Theory

/// The playlist's settings: everything that decides its tracks' bytes. A re-run, a shard or
/// a merge must match them.
public struct PlaylistSettings: Codable, Equatable, Sendable {
    public var count: Int
    public var seed: UInt64
    public var model: String
    public var modelSHA256: String
    public var format: String
    public var sampleRate: Double
    public var loudness: Double
    public var truePeak: Double
    public var effects: String
    public var soundfont: String
    /// The soundfont's size and SHA-256: another file of the same name sounds different.
    public var soundfontSize: Int?
    public var soundfontSHA256: String?
    /// The drums' soundfonts, each as "name size sha256"; nil: the instruments' kit.
    public var drums: [String]?
    public var constraints: SongConstraints?
    public var maxTries: Int?
    public var morph: [String]?
    /// "hash" when the songs keep the model's hash titles (`--hash-titles`); nil: readable titles.
    public var titles: String?
    /// How melody notes were decoded ("argmax" or the sampling settings).
    public var melody: String?
}

/// One finished track.
public struct PlaylistTrack: Codable, Equatable, Sendable {
    public var index: Int
    /// Arrangement and effects seed of the track.
    public var seed: UInt64
    /// Where its latent came from: the sampler's (seed, index), or a morph position.
    public var latentSeed: UInt64?
    public var latentIndex: Int?
    public var morphPosition: Double?
    public var title: String
    public var key: String
    public var mode: String
    public var bpm: Double
    public var energy: Double
    public var valence: Double
    public var duration: Double
    public var files: [String: String]
    public var sizes: [String: Int]
    public var sha256: [String: String]
}

/// `playlist.json`: settings and finished tracks, written after every track.
public struct PlaylistIndex: Codable, Equatable, Sendable {
    public var settings: PlaylistSettings
    public var shard: String?
    public var tracks: [PlaylistTrack]

    public static let fileName = "playlist.json"
    public static let m3uName = "playlist.m3u8"

    public func jsonBytes() -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Plain numbers, strings and arrays: encoding cannot fail.
        return Array(try! enc.encode(self)) + [0x0A]
    }

    public static func read(_ dir: URL) throws(StudioError) -> PlaylistIndex? {
        let url = dir.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let index: PlaylistIndex
        do {
            index = try JSONDecoder().decode(PlaylistIndex.self, from: Data(contentsOf: url))
        } catch {
            throw StudioError(url.path, "damaged playlist index (\(error.localizedDescription)); move it away to start over")
        }
        if let problem = index.problem() { throw StudioError(url.path, "\(problem); refusing to use it") }
        return index
    }

    /// The largest playlist the command makes (`-n`).
    public static let maxCount = 100_000

    /// What is wrong with an index read from a folder (it may come from anyone: shards travel
    /// between machines), or nil. Its file names are used as paths, so each must be exactly a
    /// name the producer gives: "NNN - Title.ext" in the folder itself, never "../…" or "a/b".
    public func problem() -> String? {
        guard (1...Self.maxCount).contains(settings.count) else { return "count \(settings.count) is outside 1…\(Self.maxCount)" }
        guard let format = AudioFormat(rawValue: settings.format) else { return "unknown audio format '\(settings.format)'" }
        let extensions = ["audio": format.fileExtension, "json": "json", "midi": "mid"]
        var seen = Set<Int>()
        for t in tracks {
            guard (1...settings.count).contains(t.index), seen.insert(t.index).inserted else {
                return "track number \(t.index) is outside 1…\(settings.count) or appears twice"
            }
            let prefix = PlaylistNames.prefix(t.index, count: settings.count)
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
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\")
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Extended M3U: duration and title per track, in order.
    public func m3u8() -> String {
        var s = "#EXTM3U\n"
        for t in tracks.sorted(by: { $0.index < $1.index }) {
            s += "#EXTINF:\(Int(t.duration.rounded())),\(t.title)\n\(t.files["audio"] ?? "")\n"
        }
        return s
    }

    public func write(to dir: URL) throws(StudioError) {
        var sorted = self
        sorted.tracks.sort { $0.index < $1.index }
        try AtomicFile.write(sorted.jsonBytes(), to: dir.appendingPathComponent(Self.fileName))
        try AtomicFile.write(Array(sorted.m3u8().utf8), to: dir.appendingPathComponent(Self.m3uName))
    }
}

