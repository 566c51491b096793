import Foundation
import LofiVAE
import Lyrics

/// Files a target needs on disk, rewritten for each input in one private folder.
enum FuzzScratch {
    nonisolated(unsafe) static let folder: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("lofi-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// `bytes` written to `name` in the folder; its path.
    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let url = folder.appendingPathComponent(name)
        try? Data(bytes).write(to: url)
        return url.path
    }

    /// A POP909 song folder with these annotations and the fixed MIDI file.
    static func pop909Folder(beats: [UInt8], chords: [UInt8], keys: [UInt8]) -> URL {
        let song = folder.appendingPathComponent("001")
        if !FileManager.default.fileExists(atPath: song.path) {
            try? FileManager.default.createDirectory(at: song, withIntermediateDirectories: true)
            try? Data(FuzzMIDI.bytes).write(to: song.appendingPathComponent("001.mid"))
        }
        try? Data(beats).write(to: song.appendingPathComponent("beat_midi.txt"))
        try? Data(chords).write(to: song.appendingPathComponent("chord_midi.txt"))
        try? Data(keys).write(to: song.appendingPathComponent("key_audio.txt"))
        return song
    }

    /// The bundled model, with the melody sampling the server uses.
    nonisolated(unsafe) static let model: LofiModel? = LofiModel.bundledPath.flatMap { try? LofiModel(path: $0, melody: .lofi) }

    /// The installed sentiment lexicon, if there is one (scripts/setup installs it).
    nonisolated(unsafe) static let lexicon: SentimentLexicon? = try? SentimentLexicon.installed()
}
