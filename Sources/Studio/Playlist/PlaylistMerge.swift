import Foundation
import Render

/// Joins shard folders into one playlist folder: every shard must come from the same
/// settings, together they must hold every track once, and each file is copied only after
/// its hash is checked.
public enum PlaylistMerge {
    /// With `mix`, the merged playlist is also written there as one crossfaded file, in the
    /// shards' format unless the mix's extension names another.
    public static func merge(_ folders: [URL], into out: URL, mix: URL? = nil, cancellation: Cancellation? = nil) throws {
        var indexes: [(URL, PlaylistIndex)] = []
        for dir in folders {
            guard let index = try PlaylistIndex.read(dir) else { throw StudioError(dir.relativePath, "no \(PlaylistIndex.fileName)") }
            indexes.append((dir, index))
        }
        guard let settings = indexes.first?.1.settings else { throw StudioError("no folders given") }
        guard indexes.allSatisfy({ $0.1.settings == settings }) else { throw StudioError("the folders come from different settings") }
        var tracks: [Int: (URL, PlaylistTrack)] = [:]
        for (dir, index) in indexes {
            for t in index.tracks {
                guard FileDigest.verify(t, in: dir) else { throw StudioError(dir.path, "track \(t.index)'s files are missing or damaged; re-run that shard") }
                tracks[t.index] = (dir, t)
            }
        }
        let missing = (1...settings.count).filter { tracks[$0] == nil }
        guard missing.isEmpty else {
            throw StudioError("tracks missing: \(missing.prefix(10).map(String.init).joined(separator: ", "))\(missing.count > 10 ? "…" : ""); run their shards")
        }
        try AtomicFile.createFolder(out)
        cancellation?.writes(into: out)
        for (_, (dir, t)) in tracks.sorted(by: { $0.key < $1.key }) where dir.standardizedFileURL != out.standardizedFileURL {
            for name in t.files.values.sorted() {
                try cancellation?.check()
                let bytes: Data
                do { bytes = try Data(contentsOf: dir.appendingPathComponent(name)) } catch {
                    throw StudioError(dir.appendingPathComponent(name).path, "cannot read: \(AtomicFile.reason(error))")
                }
                try AtomicFile.write([UInt8](bytes), to: out.appendingPathComponent(name))
            }
        }
        try PlaylistIndex(settings: settings, shard: nil, tracks: tracks.values.map(\.1)).write(to: out)
        if let mix {
            try PlaylistMix.write(from: out, to: mix, format: AudioFormat(rawValue: settings.format) ?? .wav,
                                  sampleRate: settings.sampleRate, truePeak: settings.truePeak, cancellation: cancellation)
        }
    }
}

/// A playlist's tracks, in order, joined into one file with 4 s equal-power crossfades.
public enum PlaylistMix {
    /// `format` when the output's extension names none; the true peak is held at `truePeak`.
    public static func write(from dir: URL, to url: URL, format: AudioFormat, sampleRate: Double, truePeak: Double,
                             cancellation: Cancellation? = nil) throws {
        guard let index = try PlaylistIndex.read(dir) else { throw StudioError(dir.path, "no playlist to mix") }
        cancellation?.writes(into: url.deletingLastPathComponent())
        let mixFormat = AudioFormat(fileExtension: url.pathExtension) ?? format
        let mixer = try CrossfadeMixer(url: url, format: mixFormat, sampleRate: sampleRate, ceilingDBTP: truePeak, title: "lofi-render playlist")
        for t in index.tracks.sorted(by: { $0.index < $1.index }) {
            guard let name = t.files["audio"] else { continue }
            try cancellation?.check()
            try mixer.append(AudioFileReader.read(dir.appendingPathComponent(name).path).0)
        }
        try mixer.finish()
    }
}
