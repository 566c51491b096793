import Foundation
import Render
import Theory

/// `POST /api/render?format=...`: a song JSON in, the finished file out, as `render` and
/// `midi` make it.
public enum RenderRequest {
    public static let formats = ["wav", "flac", "ogg", "mp3", "mid"]

    public struct File: Sendable {
        public var data: Data
        public var contentType: String
        /// A download name made from the song's title (letters, digits, spaces, dashes).
        public var fileName: String
    }

    /// The song a request body holds, or why it holds none.
    public static func song(_ body: Data) throws(StudioError) -> Song {
        do { return try Song.decode(body) } catch { throw StudioError("body", error.description) }
    }

    /// Renders `song`; stops between stages once `cancellation` is cancelled.
    public static func render(_ song: Song, format: String, seed: UInt64, audio: AudioSettings, soundfont: String,
                              cancellation: Cancellation) throws -> File {
        let name = downloadName(song.displayTitle) + "." + format
        if format == "mid" {
            return File(data: Data(try audio.arranger.arrange(song, seed: seed).midiData), contentType: "audio/midi", fileName: name)
        }
        guard let audioFormat = AudioFormat(fileExtension: format), formats.contains(format) else {
            throw StudioError("format \(format)", "unknown; use \(formats.joined(separator: ", "))")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lofi-render-serve-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("\(UUID().uuidString).\(format)")
        defer { try? FileManager.default.removeItem(at: url) }
        // One core per request: the server runs several renders at once instead.
        let producer = TrackProducer(settings: audio, soundfont: soundfont, workers: 1)
        try producer.produce(song, seed: seed, to: .init(audio: url, format: audioFormat), cancellation: cancellation)
        let types = ["wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg", "mp3": "audio/mpeg"]
        return File(data: try Data(contentsOf: url), contentType: types[format]!, fileName: name)
    }

    static func downloadName(_ title: String) -> String {
        let kept = String(title.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == " " || $0 == "-" }.map(Character.init))
        let trimmed = kept.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "song" : String(trimmed.prefix(80))
    }
}
