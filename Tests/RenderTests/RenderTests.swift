import Foundation
import Testing
import TestScratch
import Theory
@testable import Render

/// Renders of real songs through FluidSynth, found through the program's own lookup.
@Suite(.serialized) struct RenderTests {
    static let soundfont: String = {
        do { return try SoundfontLocator().locate() } catch { fatalError("no soundfont for the render tests: \(error) (scripts/setup installs one)") }
    }()

    static func playlistSong(_ i: Int) throws -> Song {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var url = dir
        repeat {
            url = dir.appendingPathComponent("shared/reference/default_playlist.json")
            dir = dir.deletingLastPathComponent()
        } while !FileManager.default.fileExists(atPath: url.path) && dir.path != "/"
        return try Song.decodeDocument(try Data(contentsOf: url))[i].get()
    }

    let scratch = ScratchSpace()
    func temp(_ name: String) -> URL { scratch.path("render-\(name)") }

    /// Renders `song` to `url` the way `lofi-render render` does.
    @discardableResult
    func render(_ song: Song, seed: UInt64, to url: URL, stems: [PartRole: URL] = [:]) throws -> StereoBuffer {
        let score = Arranger().arrange(song, seed: seed)
        // The drums from their own kit and every part through its processing, as by default.
        let drums = try DrumKits.locate(explicitPath: nil).soundfont(forKit: score.part(.drums)!.program)
        let renderer = SongRenderer(soundfont: Self.soundfont, drumSoundfont: drums,
                                    partSound: .preset(energy: song.energy, valence: song.valence),
                                    chain: .preset(energy: song.energy, valence: song.valence, mode: song.musicalKey.mode, seed: seed))
        let writer = try AudioFileWriter(url: url, format: .wav, sampleRate: 44100, metadata: AudioMetadata(title: song.displayTitle, comment: "test"))
        var stemWriters: [PartRole: AudioFileWriter] = [:]
        for (role, u) in stems { stemWriters[role] = try AudioFileWriter(url: u, format: .wavFloat, sampleRate: 44100, metadata: nil) }
        var mix = try renderer.synthesize(score, stems: stemWriters)
        let preMaster = mix
        renderer.master(&mix)
        try writer.write(mix)
        for w in stemWriters.values { try w.finish() }
        try writer.finish()
        return preMaster
    }

    @Test func aPlaylistSongRendersToTheRightLengthAndLoudness() throws {
        let song = try Self.playlistSong(2)
        let url = temp("song.wav")
        try render(song, seed: 5, to: url)
        let (audio, format) = try AudioFileReader.read(url.path)
        // Length from the MIDI file, read back independently: end-of-track tick at the
        // file's tempo, plus the 2.5 s tail.
        let midi = try MIDIReader.read(try Arranger().arrange(song, seed: 5).midiData)
        var micros = 0
        for e in midi.tracks[0].events { if case .meta(0x51, let d) = e.message { micros = Int(d[0]) << 16 | Int(d[1]) << 8 | Int(d[2]) } }
        let end = midi.tracks.compactMap(\.endTick).max()!
        let seconds = Double(end) * Double(micros) / 480 / 1_000_000 + 2.5
        #expect(abs(audio.frames - Int((seconds * 44100).rounded(.up))) <= 1, "\(audio.frames) frames for \(seconds) s")
        #expect(format & 0xFFFF == 0x0002, "16-bit PCM")
        #expect(audio.samplePeak < 32767.0 / 32768.0, "a sample at full scale")
        let m = LoudnessMeter.measure(audio)
        #expect(abs(m.integrated - -14) <= 0.5, "\(m.integrated) LUFS")
        #expect(m.truePeakDB <= -1.0 + 0.05, "\(m.truePeakDB) dBTP")
        // Audible: most of the song is well above the noise floor.
        #expect(Signals.rms(audio.left[...]) > 0.05)
    }

    @Test func stemsSumToThePreMasterMix() throws {
        let song = try Self.playlistSong(4)
        let score = Arranger().arrange(song, seed: 2)
        var stems: [PartRole: URL] = [:]
        for p in score.parts where !p.notes.isEmpty { stems[p.role] = temp("stem-\(p.role.rawValue).wav") }
        #expect(stems.count >= 4)
        let preMaster = try render(song, seed: 2, to: temp("mix.wav"), stems: stems)
        var sum = StereoBuffer(frames: preMaster.frames, sampleRate: 44100)
        for u in stems.values {
            let (stem, _) = try AudioFileReader.read(u.path)
            #expect(stem.frames == preMaster.frames)
            sum.add(stem)
        }
        var worst: Float = 0
        for i in 0..<sum.frames { worst = max(worst, abs(sum.left[i] - preMaster.left[i]), abs(sum.right[i] - preMaster.right[i])) }
        #expect(worst < 1e-5, "largest difference \(worst)")
        #expect(preMaster.samplePeak > 0.01)
    }

    @Test func sameSongAndSeedGiveTheSameBytes() throws {
        let song = try Self.playlistSong(1)
        let a = temp("a.wav"), b = temp("b.wav")
        try render(song, seed: 9, to: a)
        try render(song, seed: 9, to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func oneWorkerAndTwoGiveTheSameMix() throws {
        // Parts are taken from a queue by whichever worker is free; each has a synthesizer
        // of its own and the bus sums exactly, so the mix cannot depend on who played what.
        // With one worker the master stage runs its channels and meter blocks in turn, with
        // two side by side: the finished track must be the same bits too.
        let song = try Self.playlistSong(6)
        let score = Arranger.loop.arrange(song, seed: 3)  // eight measures: every part, less to wait for
        let drums = try DrumKits.locate(explicitPath: nil).soundfont(forKit: score.part(.drums)!.program)
        func render(workers: Int) throws -> (mix: StereoBuffer, master: StereoBuffer) {
            let renderer = SongRenderer(soundfont: Self.soundfont, drumSoundfont: drums, partSound: .preset(energy: song.energy, valence: song.valence),
                                        chain: .preset(energy: song.energy, valence: song.valence, mode: song.musicalKey.mode, seed: 3),
                                        workers: workers)
            let mix = try renderer.synthesize(score)
            var master = mix
            renderer.master(&master)
            return (mix, master)
        }
        func differing(_ a: StereoBuffer, _ b: StereoBuffer) -> Int {
            (0..<min(a.frames, b.frames)).filter { a.left[$0].bitPattern != b.left[$0].bitPattern || a.right[$0].bitPattern != b.right[$0].bitPattern }.count
        }
        let one = try render(workers: 1), two = try render(workers: 2)
        #expect(one.mix.frames == two.mix.frames && differing(one.mix, two.mix) == 0, "\(differing(one.mix, two.mix)) frames of the mix differ")
        #expect(one.master.frames == two.master.frames && differing(one.master, two.master) == 0,
                "\(differing(one.master, two.master)) frames of the master differ")
        #expect(one.mix.samplePeak > 0.01 && differing(one.mix, one.master) > one.mix.frames / 2, "the master stage ran")
    }

    @Test func linearResamplingChangesOnlyWhatTheBandsHide() throws {
        // Linear interpolation costs less synthesis. On the keys its error lies in the highs,
        // under the part's own low-pass: the renders must differ (the setting reaches
        // FluidSynth), by a residual far under the part. The kit plays its samples at their
        // own pitch, where every interpolation gives the same samples.
        let song = try Self.playlistSong(2)
        let arranged = Arranger.loop.arrange(song, seed: 5)
        let preset = PartSound.preset(energy: song.energy, valence: song.valence)
        #expect(preset.linearlyInterpolated == [.chords, .bass, .drums])
        var fourth = preset
        fourth.linearlyInterpolated = []
        let drums = try DrumKits.locate(explicitPath: nil).soundfont(forKit: arranged.part(.drums)!.program)
        func mix(_ role: PartRole, _ sound: PartSound) throws -> StereoBuffer {
            var score = arranged
            score.parts = score.parts.filter { $0.role == role }
            return try SongRenderer(soundfont: Self.soundfont, drumSoundfont: role == .drums ? drums : nil,
                                    partSound: sound, workers: 1).synthesize(score)
        }
        let linear = try mix(.chords, preset), reference = try mix(.chords, fourth)
        var signal = 0.0, residual = 0.0
        for i in 0..<reference.frames {
            signal += Double(reference.left[i] * reference.left[i] + reference.right[i] * reference.right[i])
            let dl = Double(linear.left[i] - reference.left[i]), dr = Double(linear.right[i] - reference.right[i])
            residual += dl * dl + dr * dr
        }
        let db = 10 * log10(residual / signal)
        #expect(signal > 1, "the chords played")
        #expect(db < -45 && db > -120, "residual \(db) dB under the chords")
        let kit = try mix(.drums, preset), kitReference = try mix(.drums, fourth)
        let differing = (0..<kit.frames).filter { kit.left[$0] != kitReference.left[$0] || kit.right[$0] != kitReference.right[$0] }.count
        #expect(differing == 0 && kit.samplePeak > 0.01, "\(differing) frames of the kit differ")
    }

    @Test func everyProfilePresetExistsInItsSoundfont() throws {
        // The profiles were read from these files' preset headers; check them against FluidSynth.
        let installed = [("/usr/share/sounds/sf2/FluidR3_GM.sf2", SoundfontProfile.fluidR3),
                         ("/usr/share/sounds/sf2/TimGM6mb.sf2", SoundfontProfile.timGM6mb),
                         ("/usr/share/sounds/sf3/MuseScore_General.sf3", SoundfontProfile.museScoreGeneral)]
        let present = installed.filter { FileManager.default.fileExists(atPath: $0.0) }
        // scripts/setup installs FluidR3: without it the test would assert nothing.
        #expect(present.contains { $0.1 == SoundfontProfile.fluidR3 }, "FluidR3_GM.sf2 is not installed (scripts/setup)")
        for (path, profile) in present {
            #expect(SoundfontProfile.forSoundfont(at: path) == profile)
            let synth = try Synthesizer(soundfont: path, sampleRate: 44100)
            for preset in Array(profile.melodic.values) + Array(profile.kits.values) {
                #expect(synth.has(preset), "\(profile.name) lacks \(preset)")
            }
        }
    }
}
