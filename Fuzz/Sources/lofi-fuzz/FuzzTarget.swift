import Foundation
@testable import LofiVAE
import Lyrics
@testable import Server
import Studio
import Theory

/// One reader under coverage-guided fuzzing: it is handed arbitrary bytes and must answer
/// with a value or its own error, never a trap, a hang or a sanitizer report.
struct FuzzTarget: Sendable {
    let name: String
    /// What it reads, for `scripts/fuzz --list`.
    let reads: String
    let run: @Sendable ([UInt8]) -> Void
}

extension FuzzTarget {
    /// Every target, by name.
    static let all: [FuzzTarget] = [songJSON, latentJSON, smf, safetensors, pth, pickle, hooktheory, pop909, lyrics, lyricsSong, http]

    static let songJSON = FuzzTarget(name: "song-json", reads: "a song JSON file or an array of songs (Song.decodeDocument)") { bytes in
        _ = try? Song.decodeDocument(Data(bytes))
    }

    static let latentJSON = FuzzTarget(name: "latent-json", reads: "a latent JSON file: 100 numbers or an array of such (LatentFile.parse)") { bytes in
        _ = try? LatentFile.parse(Data(bytes))
    }

    static let smf = FuzzTarget(name: "smf", reads: "a Standard MIDI File (MIDIReader.read)") { bytes in
        _ = try? MIDIReader.read(bytes)
    }

    static let safetensors = FuzzTarget(name: "safetensors", reads: "a safetensors model file (Safetensors.decode)") { bytes in
        _ = try? Safetensors.decode(bytes)
    }

    /// The whole `.pth` path: the zip (ZIPFoundation) and then the pickle and storages.
    static let pth = FuzzTarget(name: "pth", reads: "a PyTorch zip checkpoint from disk (ModelFile.load: zip, whitelisted pickle, storages)") { bytes in
        let file = FuzzScratch.file("model.pth", bytes)
        _ = try? ModelFile.load(file)
    }

    /// The pickle alone, so that the fuzzer's mutations are not spent on the zip's checksums.
    static let pickle = FuzzTarget(name: "pickle", reads: "a checkpoint's data.pkl (PickleReader, the whitelisting unpickler)") { bytes in
        var reader = PickleReader(bytes)
        _ = try? reader.run()
    }

    static let hooktheory = FuzzTarget(name: "hooktheory", reads: "a TheoryTab *_roman.json section (HooktheoryImporter.section, then the training sample)") { bytes in
        if let section = try? HooktheoryImporter.section(Data(bytes)) {
            _ = try? HooktheoryImporter.sample(section, group: "fuzz")
        }
    }

    /// A POP909 song folder whose three annotation files are the input split at NUL bytes
    /// (beats, chords, key); the MIDI file is a fixed one the project wrote.
    static let pop909 = FuzzTarget(name: "pop909", reads: "POP909 annotations: beat_midi.txt, chord_midi.txt, key_audio.txt (split at NUL bytes) beside a fixed MIDI file") { bytes in
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let folder = FuzzScratch.pop909Folder(beats: parts[0], chords: parts.count > 1 ? parts[1] : [], keys: parts.count > 2 ? parts[2] : [])
        _ = POP909Importer().importSong(at: folder)
    }

    /// Lyrics as a user gives them: the text's checks, syllables through libhyphen and the
    /// stress lexicon, and the mood reading.
    static let lyrics = FuzzTarget(name: "lyrics", reads: "a lyrics text (LyricText.read, syllables, MoodReading)") { bytes in
        guard let text = try? LyricText.read(Data(bytes), source: "fuzz") else { return }
        _ = text.syllableCount
        if let lexicon = FuzzScratch.lexicon { _ = MoodReading(text: text, lexicon: lexicon) }
    }

    /// `POST /api/lyrics` as the server runs it: the body (JSON when it starts with `{`, else
    /// the text itself) through LyricText, the phrasing, the model's song and its melody
    /// fitted to the syllables. Slower per input: the bundled model decodes each text.
    static let lyricsSong = FuzzTarget(name: "lyrics-song", reads: "a /api/lyrics body: JSON or text, to the finished song (SongRequests.lyricsBody with the bundled model)") { bytes in
        guard let model = FuzzScratch.model else { return }
        _ = try? SongRequests.lyricsBody(Data(bytes), json: bytes.first == UInt8(ascii: "{"), model: model)
    }

    /// What the server parses from a request before any work: the first line is a URL query
    /// (QueryString, then the radio's tuning from it), the rest a JSON body for
    /// `/api/songs` and `/api/render`.
    static let http = FuzzTarget(name: "http", reads: "a request's query (first line: QueryString, StationTuning) and JSON body (SongsRequest, RenderRequest.song)") { bytes in
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let query = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = Data(bytes[min(bytes.count, newline + 1)...])
        if let q = try? QueryString(query) { _ = try? StationTuning(parameters: q.pairs) }
        _ = try? SongsRequest(json: body)
        _ = try? RenderRequest.song(body)
    }
}
