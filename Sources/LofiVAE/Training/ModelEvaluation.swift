import Foundation
import Theory

/// Metrics of songs sampled from the prior, z ~ N(0, I).
public struct PriorMetrics: Sendable, Codable {
    public var samples: Int
    /// Valid JSON songs that ended (end token before 50 chords) and have a sounding chord.
    public var validShare: Double
    public var chordsPerSongMean: Double
    public var chordsPerSongStd: Double
    public var chordCountHistogram: [String: Int]
    public var distinctMelodyPitchesPerSong: Double
    /// Slots equal to the slot before them (held notes and repeated rests), over all songs.
    public var repeatedSlotShare: Double
    /// Melody notes on beats 1–4 (slots 0, 2, 4, 6) that are tones of the measure's triad.
    public var strongBeatChordToneShare: Double

    public static func measure(_ songs: [Song]) -> PriorMetrics {
        var valid = 0, repeated = 0, pairs = 0, onBeat = 0, chordTones = 0
        var counts: [Int] = [], distinct: [Double] = []
        var histogram: [String: Int] = [:]
        for s in songs {
            let n = s.chords.count
            counts.append(n)
            histogram[String(n), default: 0] += 1
            if s.problems().isEmpty && n < 50 && s.chords.contains(where: { $0 != 0 }) { valid += 1 }
            let flat = s.melodies.flatMap { $0 }
            distinct.append(Double(Set(flat.filter { $0 != 0 }).count))
            if flat.count > 1 {
                for i in 1..<flat.count where flat[i] == flat[i - 1] { repeated += 1 }
                pairs += flat.count - 1
            }
            guard let key = Key(songKey: s.key, songMode: s.mode) else { continue }
            for (i, row) in s.melodies.enumerated() where i < s.chords.count {
                guard let numeral = RomanNumeral(s.chords[i]) else { continue }
                let triad = Set(numeral.triad(in: key))
                for slot in [0, 2, 4, 6] where row[slot] != 0 {
                    onBeat += 1
                    if let pitch = MelodyDegree(row[slot])?.midiNote(in: key, baseTonic: 60 + key.tonic.semitone), triad.contains(PitchClass(pitch)) {
                        chordTones += 1
                    }
                }
            }
        }
        let mean = Double(counts.reduce(0, +)) / Double(max(counts.count, 1))
        let variance = counts.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(max(counts.count, 1))
        return PriorMetrics(samples: songs.count, validShare: Double(valid) / Double(max(songs.count, 1)),
                            chordsPerSongMean: mean, chordsPerSongStd: variance.squareRoot(), chordCountHistogram: histogram,
                            distinctMelodyPitchesPerSong: distinct.reduce(0, +) / Double(max(distinct.count, 1)),
                            repeatedSlotShare: Double(repeated) / Double(max(pairs, 1)),
                            strongBeatChordToneShare: Double(chordTones) / Double(max(onBeat, 1)))
    }
}

/// Reconstruction of held-out songs: encode to z = μ, decode free-running.
public struct ReconstructionMetrics: Sendable, Codable {
    public var samples: Int
    /// Over chord positions 0…n (the end token included), as in training.
    public var chordAccuracy: Double
    /// Over melody positions 0..<8n.
    public var melodyAccuracy: Double
    public var keyAccuracy: Double
    public var modeAccuracy: Double
    /// In the model's tempo range (70–100 bpm after its normalisation).
    public var tempoMAEBPM: Double
    public var energyMAE: Double
    public var valenceMAE: Double
}

public enum ModelEvaluation {
    /// Songs decoded from `count` prior samples of seed `seed`.
    public static func priorSongs(_ model: LofiModel, count: Int, seed: UInt64) -> [Song] {
        model.songs(for: LatentSampler(seed: seed).latents(count: count))
    }

    /// Reconstruction metrics; needs the encoder's tensors in `dict`.
    public static func reconstruction(_ dict: StateDict, samples: [Song], batchSize: Int = 128) throws -> ReconstructionMetrics {
        let params = try VAEParameters(loading: dict)
        let hidden = params.shape.hidden
        BLAS.setThreads(1)
        let step = VAEStep(params)
        let engine = DecoderEngine(try Lofi2LofiDecoder(dict))
        var chordRight = 0.0, chordAll = 0, melodyRight = 0.0, melodyAll = 0
        var key = 0, mode = 0, tempo = 0.0, energy = 0.0, valence = 0.0
        var start = 0
        while start < samples.count {
            let songs = Array(samples[start..<min(samples.count, start + batchSize)])
            let batch = TrainingBatch(songs)
            var rng = SplitMix64(seed: 0)
            let m = step.run(batch, objective: Objective(klWeight: 1, teacherForcing: 0, sample: false), rng: &rng, backward: false)
            chordRight += m.chordAccuracy * Double(m.chordCount); chordAll += m.chordCount
            melodyRight += m.melodyAccuracy * Double(m.melodyCount); melodyAll += m.melodyCount
            // Copied out of the encoder's buffer while the step that owns it is alive.
            let z = withExtendedLifetime(step) {
                Tensor(shape: [songs.count, hidden], storage: Array(UnsafeBufferPointer(start: step.mu.pointer, count: songs.count * hidden)))
            }
            let decoded = engine.decode(z)
            for (b, (out, s)) in zip(decoded, songs).enumerated() {
                let song = out.song(latent: Array(z.row(b)))
                if song.key == s.key { key += 1 }
                if song.mode == s.mode { mode += 1 }
                tempo += abs(song.bpm - (TrainingBatch.normalisedTempo(s.bpm) * 30 + 70))
                energy += abs(song.energy - s.energy)
                valence += abs(song.valence - s.valence)
            }
            start += batchSize
        }
        let n = Double(max(samples.count, 1))
        return ReconstructionMetrics(samples: samples.count, chordAccuracy: chordRight / Double(max(chordAll, 1)),
                                     melodyAccuracy: melodyRight / Double(max(melodyAll, 1)), keyAccuracy: Double(key) / n,
                                     modeAccuracy: Double(mode) / n, tempoMAEBPM: tempo / n, energyMAE: energy / n, valenceMAE: valence / n)
    }
}
