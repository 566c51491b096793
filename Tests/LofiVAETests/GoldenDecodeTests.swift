import Foundation
import Testing
@testable import LofiVAE
import Theory

/// Compares one decoded song and its logits with a golden case.
func expectMatches(_ out: DecoderOutput, _ c: Reference.Case, _ label: String) {
    let song = out.song(latent: c.z)
    let e = c.expected
    #expect(song.title == e.title, "\(label) title")
    #expect(song.key == e.key && song.mode == e.mode && song.bpm == e.bpm, "\(label) key/mode/bpm")
    #expect(song.chords == e.chords, "\(label) chords")
    #expect(song.melodies == e.melodies, "\(label) melodies")
    #expect(abs(song.energy - e.energy) <= 0.001 + 1e-9 && abs(song.valence - e.valence) <= 0.001 + 1e-9, "\(label) energy/valence")
    #expect(abs(out.tempo - c.tempoRaw) < 1e-4 && abs(out.energy - c.energyRaw) < 1e-4 && abs(out.valence - c.valenceRaw) < 1e-4)
    for (a, b) in zip(out.firstChordLogits, c.chordLogitsFirst) { #expect(abs(a - b) < 1e-4, "\(label) chord logit") }
    for (a, b) in zip(out.firstMelodyLogits, c.melodyLogitsFirst) { #expect(abs(a - b) < 1e-4, "\(label) melody logit") }
    #expect(out.firstChordLogits.count == 9 && out.firstMelodyLogits.count == 15)
}

@Suite struct GoldenDecodeTests {
    @Test func literalDecoderReproducesTheReference() {
        let cases = Reference.cases
        #expect(cases.count == 64)
        let z = Tensor(shape: [cases.count, 100], storage: cases.flatMap(\.z))
        let outs = Reference.decoder.decodeLiterally(z)
        for (i, c) in cases.enumerated() { expectMatches(outs[i], c, "case \(i)") }
    }
}

@Suite struct EngineTests {
    static let engine = DecoderEngine(Reference.decoder)

    @Test func engineReproducesTheReferenceInOneBatch() {
        let cases = Reference.cases
        let outs = Self.engine.decode(Tensor(shape: [cases.count, 100], storage: cases.flatMap(\.z)))
        for (i, c) in cases.enumerated() { expectMatches(outs[i], c, "case \(i)") }
    }

    @Test func batchedEqualsOneByOne() {
        let cases = Reference.cases
        let batched = Self.engine.decode(Tensor(shape: [cases.count, 100], storage: cases.flatMap(\.z)))
        for (i, c) in cases.enumerated() {
            let single = Self.engine.decode(Tensor(shape: [1, 100], storage: c.z))[0]
            #expect(single.chords == batched[i].chords && single.melody == batched[i].melody, "case \(i)")
            #expect(single.song(latent: c.z) == batched[i].song(latent: c.z))
        }
    }
}
