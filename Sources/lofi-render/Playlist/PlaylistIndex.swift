import Crypto
import Foundation
import LofiVAE
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
        do {
            return try JSONDecoder().decode(PlaylistIndex.self, from: Data(contentsOf: url))
        } catch {
            throw CLIError("\(url.path): damaged playlist index (\(error.localizedDescription)); move it away to start over")
        }
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
    static func sha256(_ url: URL) -> (size: Int, digest: String)? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return (data.count, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    /// Whether the files of `track` are all in `dir` with their recorded size and hash.
    static func verify(_ track: PlaylistTrack, in dir: URL) -> Bool {
        for (kind, name) in track.files {
            guard let got = sha256(dir.appendingPathComponent(name)), got.size == track.sizes[kind], got.digest == track.sha256[kind] else { return false }
        }
        return !track.files.isEmpty
    }
}
