import Theory

/// Samples packed for one step: tokens padded to the longest song, targets with the end token
/// one step past each song (so it is trained, unlike the reference objective), and the
/// conditioning values normalised as the model sees them.
public struct TrainingBatch: Sendable {
    public let size: Int
    /// Longest chord count in the batch.
    public let maxChords: Int
    public let lengths: [Int]
    public let chords: [Int32]       // [B×N] padded with 0
    public let melody: [Int32]       // [B×8N]
    public let melodyLengths: [Int]
    public let targetChords: [Int32] // [B×(N+1)], 8 at each song's end, −1 past it
    public let targetMelody: [Int32] // [B×8N], −1 past each song
    public let keys: [Int]
    public let modes: [Int]
    public let tempo: [Float]
    public let energy: [Float]
    public let valence: [Float]

    public init(_ songs: [Song]) {
        size = songs.count
        let lengths = songs.map { min($0.progression.count, 50) }
        self.lengths = lengths
        let N = lengths.max() ?? 1
        maxChords = N
        var chords = [Int32](repeating: 0, count: size * N), melody = [Int32](repeating: 0, count: size * 8 * N)
        var tc = [Int32](repeating: -1, count: size * (N + 1)), tm = [Int32](repeating: -1, count: size * 8 * N)
        for (b, s) in songs.enumerated() {
            let n = lengths[b]
            for i in 0..<n {
                chords[b * N + i] = Int32(s.progression[i])
                tc[b * (N + 1) + i] = Int32(s.progression[i])
                for j in 0..<8 {
                    // The model has tokens 0…14; a 15 (tonic two octaves up, which no importer emits) is clamped.
                    let v = Int32(min(s.melodies[i][j], 14))
                    melody[b * 8 * N + 8 * i + j] = v
                    tm[b * 8 * N + 8 * i + j] = v
                }
            }
            tc[b * (N + 1) + n] = 8
        }
        self.chords = chords
        self.melody = melody
        melodyLengths = lengths.map { 8 * $0 }
        targetChords = tc
        targetMelody = tm
        keys = songs.map { $0.key - 1 }
        modes = songs.map { $0.mode - 1 }
        tempo = songs.map { Float(Self.normalisedTempo($0.bpm)) }
        energy = songs.map { Float($0.energy) }
        valence = songs.map { Float($0.valence) }
    }

    /// DATASET.md: bpm' = clamp((bpm − 70)·3/13 + 70, 70, 100), tempo = bpm'/30 − 7/3.
    public static func normalisedTempo(_ bpm: Double) -> Double {
        let b = min(max((bpm - 70) * 3 / 13 + 70, 70), 100)
        return b / 30 - 7.0 / 3
    }
}
