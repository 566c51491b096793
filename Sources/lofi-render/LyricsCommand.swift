import ArgumentParser
import Foundation
import Studio

struct LyricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyrics",
        abstract: "Lyrics2Lofi: a song whose melody carries the words of a text.",
        discussion: """
            TEXT is a UTF-8 text file (at most 100 KB) or - for stdin: one sung line per text line, \
            stanzas separated by blank lines. Each line becomes a measure (two or more when it has \
            more than eight syllables; at most 50 in all), each syllable starts a melody note, and \
            the text's mood (valence from the VADER lexicon's rules, energy from its intensity) \
            chooses the song among the model's samples; the model writes the chords and the pitches. \
            OUT by extension as in `sample`:
              .json  the song, with its "lyrics" field
              .mid   the karaoke MIDI: a lyric event at every melody note
              .wav .flac .ogg .opus .mp3   finished audio, with OUT.lrc (timed lyrics) beside it
            The same text, seed, options and model always give the same bytes.
            """)

    @Argument(help: "The text: a UTF-8 file, or - for stdin.")
    var text: String

    @Option(name: .shortAndLong, help: "Output file: .json, .mid, or audio (.wav .flac .ogg .opus .mp3).")
    var output: String

    @Option(parsing: .unconditional, help: "Seed of the latent search (with the text's hash) and of the arrangement.")
    var seed: UInt64 = 0

    @Option(help: "Also write the karaoke MIDI here.")
    var midi: String?

    @Flag(help: "Sing the melody with the soundfont's Voice Oohs instead of the style's instrument.")
    var voice = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Valence 0…1 instead of the text's.", valueName: "v"))
    var valence: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Energy 0…1 instead of the text's.", valueName: "e"))
    var energy: Double?

    @Option(help: "Mode: major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7.")
    var mode: String?

    @Option(parsing: .unconditional, help: "Tempo in beats per minute instead of the model's (20…300).")
    var bpm: Double?

    @Option(help: "Language of the hyphenation patterns (en, de, fr, es …, as installed).")
    var language = "en"

    @OptionGroup var model: ModelOption

    @OptionGroup(title: "Audio") var audio: AudioOptions

    @Flag(help: "Overwrite existing output files.")
    var force = false

    func validate() throws {
        for (name, v) in [("valence", valence), ("energy", energy)] {
            if let v, !(v.isFinite && (0...1).contains(v)) { throw ValidationError("--\(name) must be in 0...1") }
        }
        if let bpm, !(bpm.isFinite && Song.bpmRange.contains(bpm)) { throw ValidationError("--bpm must be in 20...300") }
        if let mode, SongConstraints.mode(named: mode) == nil {
            throw ValidationError("--mode \(mode): unknown; use major, minor, dorian, phrygian, lydian, mixolydian, locrian or 1…7")
        }
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard SampleOutput.kind(forExtension: ext, formatGiven: audio.format != nil) != nil else {
            throw ValidationError("\(output): unknown extension '.\(ext)'; use .json, .mid, .wav, .flac, .ogg, .opus or .mp3")
        }
        if let (setting, problem) = audio.settings.problem() { throw ValidationError("--\(setting) \(problem)") }
    }

    func run() throws {
        let words = try fail("lyrics") { try LyricText.read(path: text, language: language) }
        let loaded = try model.load(command: "lyrics")
        var maker = LyricsSong()
        maker.seed = seed
        maker.language = language
        maker.valence = valence
        maker.energy = energy
        maker.mode = mode.flatMap(SongConstraints.mode(named:))
        maker.bpm = bpm
        let made = try fail("lyrics") { try maker.make(words, model: loaded) }
        for n in made.notes { printError("lyrics: \(n)") }
        printError("lyrics: \(made.song.displayTitle): \(made.linesSung) lines, \(made.song.progression.count) measures, \(words.syllableCount) syllables; \(made.mood.explanation)")
        var settings = audio.settings
        settings.voice = voice
        let out = LyricsOutput(output: URL(fileURLWithPath: output), midi: midi.map { URL(fileURLWithPath: $0) },
                               seed: seed, audio: settings, force: force)
        try fail("lyrics") { try out.write(made.song, cancellation: Interrupts.token) }
    }
}
