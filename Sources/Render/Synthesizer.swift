import CFluidSynth
import Foundation
import Theory

/// Why synthesis could not start.
public struct SynthesisError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// One FluidSynth instance with the soundfont loaded, rendering parts of a Score offline.
/// FluidSynth's own reverb and chorus are off (the lo-fi chain has its own), samples are
/// loaded on demand (dynamic sample loading), and it runs on the calling thread.
final class Synthesizer {
    let synth: OpaquePointer
    let settings: OpaquePointer
    let fontID: Int32
    let sampleRate: Double
    /// The loaded soundfont this synthesizer borrows, if any (returned before deletion).
    let borrowed: LoadedSoundfont?
    /// The drums' own soundfont, when they have one, and the loaded copy it borrows.
    let drumFontID: Int32?
    let borrowedDrums: LoadedSoundfont?

    static let silenceLog: Void = {
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            fluid_set_log_function(Int32(level.rawValue), nil, nil)
        }
    }()

    init(soundfont: String, sampleRate: Double, borrowing loaded: LoadedSoundfont? = nil,
         drumSoundfont: String? = nil, borrowingDrums loadedDrums: LoadedSoundfont? = nil) throws(SynthesisError) {
        _ = Self.silenceLog
        // Check the RIFF/sfbk header first: handing FluidSynth a non-soundfont makes its
        // loader print assertion noise before failing.
        for path in [soundfont] + (drumSoundfont.map { [$0] } ?? []) where fluid_is_soundfont(path) == 0 {
            throw SynthesisError(description: "\(path): not a SoundFont file (no RIFF sfbk header)")
        }
        guard let settings = new_fluid_settings() else { throw SynthesisError(description: "FluidSynth could not allocate settings") }
        fluid_settings_setnum(settings, "synth.sample-rate", sampleRate)
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 1)
        fluid_settings_setint(settings, "synth.reverb.active", 0)
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        fluid_settings_setint(settings, "synth.cpu-cores", 1)
        fluid_settings_setint(settings, "synth.polyphony", 256)
        fluid_settings_setnum(settings, "synth.gain", 0.4)
        guard let synth = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw SynthesisError(description: "FluidSynth could not start a synthesizer")
        }
        let id = loaded.map { fluid_synth_add_sfont(synth, $0.font) } ?? fluid_synth_sfload(synth, soundfont, 1)
        guard id >= 0 else {
            delete_fluid_synth(synth)
            delete_fluid_settings(settings)
            throw SynthesisError(description: "\(soundfont): FluidSynth cannot load it as a soundfont")
        }
        var drumID: Int32?
        if let drumSoundfont {
            let d = loadedDrums.map { fluid_synth_add_sfont(synth, $0.font) } ?? fluid_synth_sfload(synth, drumSoundfont, 0)
            guard d >= 0 else {
                if let loaded { fluid_synth_remove_sfont(synth, loaded.font) }
                delete_fluid_synth(synth)
                delete_fluid_settings(settings)
                throw SynthesisError(description: "\(drumSoundfont): FluidSynth cannot load it as a soundfont")
            }
            drumID = d
        }
        self.synth = synth
        self.settings = settings
        self.fontID = id
        self.sampleRate = sampleRate
        borrowed = loaded
        drumFontID = drumID
        borrowedDrums = drumSoundfont == nil ? nil : loadedDrums
    }

    /// Creates synthesizers one at a time: FluidSynth fills global tables on first use
    /// without a lock.
    static func make(soundfont: String, sampleRate: Double, borrowing loaded: LoadedSoundfont? = nil,
                     drumSoundfont: String? = nil, borrowingDrums loadedDrums: LoadedSoundfont? = nil) throws(SynthesisError) -> Synthesizer {
        creation.lock()
        defer { creation.unlock() }
        return try Synthesizer(soundfont: soundfont, sampleRate: sampleRate, borrowing: loaded,
                               drumSoundfont: drumSoundfont, borrowingDrums: loadedDrums)
    }

    private static let creation = NSLock()

    deinit {
        // With dynamic sample loading, a preset's samples are released when it is unselected;
        // deleting a synthesizer with presets still selected leaked them (about 80 MB a song).
        for channel in 0..<16 { fluid_synth_unset_program(synth, Int32(channel)) }
        if let borrowedDrums {
            fluid_synth_remove_sfont(synth, borrowedDrums.font)
        } else if let drumFontID {
            fluid_synth_sfunload(synth, drumFontID, 0)
        }
        if let borrowed {
            fluid_synth_remove_sfont(synth, borrowed.font)  // the owner keeps it
        } else {
            fluid_synth_sfunload(synth, Int32(fontID), 0)
        }
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    /// Whether the loaded soundfont (by default the instruments') has `preset`.
    func has(_ preset: SoundfontProfile.Preset, in font: Int32? = nil) -> Bool {
        guard let font = fluid_synth_get_sfont_by_id(synth, font ?? fontID) else { return false }
        return fluid_sfont_get_preset(font, Int32(preset.bank), Int32(preset.program)) != nil
    }

    /// Selects the preset for `part` on its channel, falling back to General MIDI numbering
    /// (and then to program 0 / the standard kit) when the soundfont lacks it.
    /// The drums play from their own soundfont when there is one.
    func select(_ part: Part, profile: SoundfontProfile) {
        let wanted = profile.preset(for: part)
        let drums = part.role == .drums
        let font = drums ? (drumFontID ?? fontID) : fontID
        var candidates = [wanted, SoundfontProfile.Preset(drums ? 128 : 0, part.program), SoundfontProfile.Preset(drums ? 128 : 0, 0)]
        if drums { candidates.append(SoundfontProfile.Preset(0, 0)) }  // a kit-only soundfont
        let chosen = candidates.first { has($0, in: font) } ?? wanted
        fluid_synth_program_select(synth, Int32(part.channel), font, Int32(chosen.bank), Int32(chosen.program))
        fluid_synth_cc(synth, Int32(part.channel), 7, Int32(part.volume))
        fluid_synth_cc(synth, Int32(part.channel), 10, Int32(part.pan))
    }

    /// Renders `part` of `score` over `frames` frames, handing each block (left, right, start
    /// frame) to `sink`, which may change it in place. Events are placed at their exact frame.
    /// `profile` is the profile of the soundfont that plays this part. `linear`: the samples
    /// are resampled by linear interpolation instead of FluidSynth's default fourth-order one.
    func render(_ part: Part, of score: Score, profile: SoundfontProfile, frames: Int, linear: Bool = false,
                sink: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, Int) -> Void) {
        select(part, profile: profile)
        let ch = Int32(part.channel)
        fluid_synth_set_interp_method(synth, ch, Int32((linear ? FLUID_INTERP_LINEAR : FLUID_INTERP_DEFAULT).rawValue))
        // Note-offs sort before note-ons at the same frame so repeated pitches re-strike.
        var events: [(frame: Int, order: Int, key: Int32, velocity: Int32)] = []
        events.reserveCapacity(part.notes.count * 2)
        let framesPerTick = score.secondsPerTick * sampleRate
        let drums = part.role == .drums
        for n in part.notes {
            let key = Int32(drums ? profile.drumKey(n.pitch) : n.pitch)
            events.append((Int((Double(n.start) * framesPerTick).rounded()), 1, key, Int32(n.velocity)))
            events.append((Int((Double(n.end) * framesPerTick).rounded()), 0, key, 0))
        }
        events.sort { ($0.frame, $0.order, $0.key) < ($1.frame, $1.order, $1.key) }

        let block = 4096
        var left = [Float](repeating: 0, count: block), right = left
        var position = 0
        var next = 0
        while position < frames {
            while next < events.count && events[next].frame <= position {
                let e = events[next]
                if e.order == 1 { fluid_synth_noteon(synth, ch, e.key, e.velocity) } else { fluid_synth_noteoff(synth, ch, e.key) }
                next += 1
            }
            var count = min(block, frames - position)
            if next < events.count { count = min(count, max(1, events[next].frame - position)) }
            left.withUnsafeMutableBufferPointer { l in
                right.withUnsafeMutableBufferPointer { r in
                    _ = fluid_synth_write_float(synth, Int32(count), l.baseAddress!, 0, 1, r.baseAddress!, 0, 1)
                    sink(UnsafeMutableBufferPointer(rebasing: l[0..<count]), UnsafeMutableBufferPointer(rebasing: r[0..<count]), position)
                }
            }
            position += count
        }
    }

}

/// A soundfont loaded once (into a host synthesizer that owns it) and lent to the fresh
/// synthesizers that play each song's parts, so a worker reads the file's headers once.
/// Use from one thread at a time.
final class LoadedSoundfont: @unchecked Sendable {
    let host: Synthesizer
    let font: OpaquePointer

    init(path: String, sampleRate: Double) throws(SynthesisError) {
        host = try Synthesizer.make(soundfont: path, sampleRate: sampleRate)
        guard let font = fluid_synth_get_sfont_by_id(host.synth, host.fontID) else {
            throw SynthesisError(description: "\(path): FluidSynth lost the loaded soundfont")
        }
        self.font = font
    }
}
