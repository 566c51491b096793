import ArgumentParser
import Foundation
import Studio

/// Options shared by every command that writes audio: a parsed `AudioSettings`.
struct AudioOptions: ParsableArguments {
    @Option(help: "Soundfont (.sf2/.sf3). Default: $LOFI_SOUNDFONT, then soundfonts/*.sf2|*.sf3, then the system's General MIDI soundfont.")
    var soundfont: String?

    @Option(help: "Soundfont for the drums. Default: $LOFI_DRUM_SOUNDFONT, then the AVL acoustic kits (Debian avldrums.lv2-soundfont), then the kit of --soundfont.")
    var drumSoundfont: String?

    @Option(help: "Audio format: wav (16-bit), wav24, wav-float, flac, ogg, opus, mp3. Default: from the output's extension.")
    var format: String?

    @Option(parsing: .unconditional, help: "Sample rate in Hz: 44100 or 48000 (Opus: 48000). Default: 44100, Opus 48000.")
    var sampleRate: Double?

    @Option(parsing: .unconditional, help: "Integrated loudness target in LUFS; the true peak is held at or below --true-peak.")
    var loudness: Double = -14

    @Option(parsing: .unconditional, help: "True-peak ceiling in dBTP.")
    var truePeak: Double = -1

    @Flag(help: "A clean render: no lo-fi effects (loudness normalisation still applies).")
    var noEffects = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Surface noise (vinyl crackle and hiss, or rain) in dB relative to the music's integrated loudness, -80...-6 (e.g. --crackle -30); default from the song's mood.", valueName: "dB"))
    var crackle: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Depth of the sidechain dip of keys and arpeggio under each kick, 0...12 dB (0 = off); default 3–8 from the song's energy.", valueName: "dB"))
    var duck: Double?

    @Option(parsing: .unconditional, help: "Drum bus grit 0...1: the drums through a 26.04 kHz, 12-bit sampler (0 = clean); default from the song's mood.")
    var drumGrit: Double?

    @Flag(help: "End with a tape stop: the last chord slows to a halt.")
    var tapeStop = false

    @Option(parsing: .unconditional, help: "Tape wow depth in cents; default from the song's mood.")
    var wow: Double?

    @Option(parsing: .unconditional, help: "Warmth: low-pass corner in Hz (lower is darker); default from the song's mood.")
    var warmth: Double?

    @Option(parsing: .unconditional, help: "Reverb wet level 0…1; default from the song's mood.")
    var reverb: Double?

    @Flag(help: "Also write one float WAV per part (OUT.stem-<part>.wav), pre-master: they sum to the mix before the lo-fi chain and loudness.")
    var stems = false

    func validate() throws {
        if let format, AudioFormat(rawValue: format) == nil {
            throw ValidationError("--format \(format): unknown; use one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let (setting, problem) = settings.problem() { throw ValidationError("--\(setting) \(problem)") }
    }

    var settings: AudioSettings {
        var s = AudioSettings()
        s.soundfont = soundfont
        s.drumSoundfont = drumSoundfont
        s.format = format.flatMap(AudioFormat.init(rawValue:))
        s.sampleRate = sampleRate
        s.loudness = loudness
        s.truePeak = truePeak
        s.noEffects = noEffects
        s.crackle = crackle
        s.duck = duck
        s.drumGrit = drumGrit
        s.tapeStop = tapeStop
        s.wow = wow
        s.warmth = warmth
        s.reverb = reverb
        s.stems = stems
        return s
    }
}
