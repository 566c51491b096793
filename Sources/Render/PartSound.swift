import CLofiDSP
import Foundation
import Theory

/// What happens to each part between the synthesizer and the mix: its band (`PartFilter`),
/// the sidechain dip under the kick for the keys, arpeggio and pads, and the drum bus for
/// the drums. Stems are taken after this stage, so they still sum to the pre-master mix.
public struct PartSound: Sendable, Equatable {
    public var filters: [PartRole: PartFilter]
    /// The dip under each kick; nil or depth 0: no ducking.
    public var duck: SidechainDuck?
    /// The parts that dip under the kick.
    public var ducked: Set<PartRole> = [.chords, .arpeggio]
    public var drumBus: DrumBus?
    /// The parts whose samples FluidSynth resamples by linear instead of fourth-order
    /// interpolation, which costs about a fifth less synthesis. On the keys and the bass its
    /// error lies in the highs, which their own low-pass removes (BENCHMARKS.md: their stems
    /// differ from fourth-order by −56 and −64 dB, where the melody's would by −34 dB); a
    /// kit plays its samples at their own pitch, where both give the same samples.
    /// Empty: every part at FluidSynth's default.
    public var linearlyInterpolated: Set<PartRole> = []

    public init(filters: [PartRole: PartFilter] = [:], duck: SidechainDuck? = nil, drumBus: DrumBus? = nil,
                linearlyInterpolated: Set<PartRole> = []) {
        self.filters = filters
        self.duck = duck
        self.drumBus = drumBus
        self.linearlyInterpolated = linearlyInterpolated
    }

    /// The running processing of one part of `score`.
    func stream(for part: Part, of score: Score, sampleRate: Double) -> PartStream {
        var envelope: SidechainDuck.Envelope?
        if let duck, duck.depth > 0, ducked.contains(part.role), let drums = score.part(.drums) {
            let framesPerTick = score.secondsPerTick * sampleRate
            // Frames of the kick onsets, placed exactly as the synthesizer places the notes.
            let kicks = drums.notes.filter { $0.pitch == DrumNote.kick }.map { Int((Double($0.start) * framesPerTick).rounded()) }
            envelope = SidechainDuck.Envelope(duck: duck, kicks: kicks, sampleRate: sampleRate)
        }
        return PartStream(filters: filters[part.role]?.stream(sampleRate: sampleRate) ?? [], envelope: envelope,
                          bus: part.role == .drums ? drumBus.map { DrumBus.Stream($0, sampleRate: sampleRate) } : nil)
    }
}

/// One part's processing as its blocks arrive in order: both channels together, sample by
/// sample through the band and the drum bus in one pass over each block, then the ducking
/// gain.
struct PartStream {
    var filters: [StereoBiquad]
    var envelope: SidechainDuck.Envelope?
    var bus: DrumBus.Stream?

    init(filters: [Biquad], envelope: SidechainDuck.Envelope?, bus: DrumBus.Stream?) {
        self.filters = filters.map(StereoBiquad.init)
        self.envelope = envelope
        self.bus = bus
    }

    /// Runs one block (the synthesizer's) in place: both channels in one pass of the C
    /// kernel, which flushes decayed filter state every `Biquad.flushInterval` frames of the
    /// block and so keeps it out of the subnormals.
    mutating func process(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, count: Int, start: Int) {
        precondition(filters.count <= 2, "a part's band has at most two sections")
        var l = filters.map { Self.section($0, lane: 0) }, r = filters.map { Self.section($0, lane: 1) }
        let sections = Int32(filters.count)
        if bus != nil {
            bus!.withState { lofi_band_run(&l, &r, sections, &$0, left, right, count) }
        } else {
            lofi_band_run(&l, &r, sections, nil, left, right, count)
        }
        for s in filters.indices {
            filters[s].z1 = SIMD2(l[s].z1, r[s].z1)
            filters[s].z2 = SIMD2(l[s].z2, r[s].z2)
        }
        envelope?.apply(left, right, count: count, start: start)
    }

    static func section(_ s: StereoBiquad, lane: Int) -> lofi_biquad {
        lofi_biquad(b0: s.b0[lane], b1: s.b1[lane], b2: s.b2[lane], a1: s.a1[lane], a2: s.a2[lane], z1: s.z1[lane], z2: s.z2[lane])
    }
}

extension PartSound {
    /// The part processing for a song's mood. Darker keys and deeper, slower ducking for calm
    /// songs; brighter parts, a harder pump and a little less grit for energetic ones.
    public static func preset(energy: Double, valence: Double) -> PartSound {
        let e = min(max(energy, 0), 1), v = min(max(valence, 0), 1)
        let bright = 0.6 * e + 0.4 * v
        return PartSound(
            filters: [
                .chords: PartFilter(highPass: 110, lowPass: 2500 + 2500 * bright),
                .bass: PartFilter(highPass: 40, lowPass: 900 + 600 * bright),
                .melody: PartFilter(highPass: 200, lowPass: 6000 + 3000 * bright),
                .arpeggio: PartFilter(highPass: 400, lowPass: 5000 + 3000 * bright),
                .drums: PartFilter(highPass: 30),
            ],
            duck: SidechainDuck(depth: 3 + 5 * e, attack: 0.005, release: 0.2 - 0.08 * e),
            drumBus: DrumBus(amount: 0.8 - 0.3 * e),
            linearlyInterpolated: [.chords, .bass, .drums])
    }
}
