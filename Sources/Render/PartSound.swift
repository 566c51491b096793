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

    public init(filters: [PartRole: PartFilter] = [:], duck: SidechainDuck? = nil, drumBus: DrumBus? = nil) {
        self.filters = filters
        self.duck = duck
        self.drumBus = drumBus
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
/// sample through the band, the drum bus and the ducking gain, in one pass over each block.
struct PartStream {
    var filters: [StereoBiquad]
    var envelope: SidechainDuck.Envelope?
    var bus: DrumBus.Stream?

    init(filters: [Biquad], envelope: SidechainDuck.Envelope?, bus: DrumBus.Stream?) {
        self.filters = filters.map(StereoBiquad.init)
        self.envelope = envelope
        self.bus = bus
    }

    /// Blocks are at most 4,096 frames (the synthesizer's), so flushing decayed filter state
    /// once per block keeps it out of the subnormals.
    mutating func process(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, count: Int, start: Int) {
        filters.withUnsafeMutableBufferPointer { sections in
            var i = 0
            while i < count {
                let end = min(count, i + Biquad.flushInterval)
                for i in i..<end {
                    var v = SIMD2<Float>(left[i], right[i])
                    // Each section hands the next a Float, as the stages always have.
                    for s in sections.indices { v = SIMD2<Float>(sections[s].process(SIMD2<Double>(v))) }
                    if bus != nil { v = bus!.process(v) }
                    left[i] = v.x
                    right[i] = v.y
                }
                for s in sections.indices { sections[s].flushDecayedState() }
                bus?.flushDecayedState()
                i = end
            }
        }
        envelope?.apply(left, right, count: count, start: start)
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
            drumBus: DrumBus(amount: 0.8 - 0.3 * e))
    }
}
