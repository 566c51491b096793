import Foundation
import Render
import Theory

/// Where `sample`'s songs go, by the output's extension: `.json` one file (an array for
/// several songs), `.mid` one arranged MIDI per song, audio one finished render per song.
public struct SampleOutput: Sendable {
    public enum Kind: Sendable { case json, midi, audio }

    public var output: URL
    public var seed: UInt64
    public var audio: AudioSettings
    public var force: Bool

    public init(output: URL, seed: UInt64 = 0, audio: AudioSettings = AudioSettings(), force: Bool = false) {
        self.output = output; self.seed = seed; self.audio = audio; self.force = force
    }

    /// The kind of output for an extension (`formatGiven`: an audio format was named).
    public static func kind(forExtension ext: String, formatGiven: Bool = false) -> Kind? {
        switch ext.lowercased() {
        case "json": return .json
        case "mid", "midi": return .midi
        default: return AudioFormat(fileExtension: ext) != nil || formatGiven ? .audio : nil
        }
    }

    public var kind: Kind { Self.kind(forExtension: output.pathExtension, formatGiven: audio.format != nil) ?? .audio }

    /// Writes the songs (arranged and rendered with `seed`).
    public func write(_ songs: [Song], progress: ProgressCallback? = nil, cancellation: Cancellation? = nil) throws {
        let count = songs.count
        if kind == .audio {
            // One file per song, rendered in turn (each render uses every core).
            try RenderBatch(songs: songs, output: output, seed: seed, audio: audio, force: force)
                .run(progress: progress, cancellation: cancellation)
            return
        }
        var files: [(URL, [UInt8])] = []
        if kind == .json {
            files = [(output, Array((count == 1 ? songs[0].jsonString() + "\n" : Song.jsonArray(songs)).utf8))]
        } else {
            files = try songs.enumerated().map { i, s in
                (OutputNames.numbered(output, index: i, of: count), try Arranger().arrange(s, seed: seed).midiData)
            }
        }
        if !force { try AtomicFile.refuseExisting(files.map(\.0)) }
        cancellation?.writes(into: output.deletingLastPathComponent())
        for (u, bytes) in files { try AtomicFile.write(bytes, to: u) }
    }
}
