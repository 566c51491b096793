import CLofiMath
import Theory

/// The decoder prepared for speed. Everything that depends only on the weights, or only on
/// z, is computed once: an embedding followed by its downsample and the next LSTM's input
/// product is a table lookup per token, and the z parts are per-song constants. Each step
/// then costs one recurrent product (100 → 400) and the prediction head. Rows that emit the
/// end token leave the batch at once. Equal to `decodeLiterally` up to float rounding
/// (checked against it and against the PyTorch goldens).
public struct DecoderEngine: Sendable {
    let decoder: Lofi2LofiDecoder
    static let H = Lofi2LofiDecoder.hidden
    static let G = 4 * Lofi2LofiDecoder.hidden

    /// [9, 4H]: chord LSTM input gates for the chord_in built from token k (z part excluded).
    let chordGates: [Float]
    /// [9, 4H]: melody LSTM input gates for the very first note, fed chord_in itself.
    let firstMelodyGates: [Float]
    /// [9, 4H]: melody input gates from the chord_in part of the melody downsample.
    let melodyGatesFromChord: [Float]
    /// [15, 4H]: melody input gates from the previous note's embedding.
    let melodyGatesFromNote: [Float]
    /// Column blocks of the downsample weights: [H, H] each.
    let chordDownZ: Tensor, melodyDownChord: Tensor, melodyDownZ: Tensor
    let chordBias: [Float], melodyBias: [Float]

    public init(_ d: Lofi2LofiDecoder) {
        decoder = d
        let H = Self.H
        func columns(_ w: Tensor, _ block: Int) -> Tensor {
            let width = w.shape[1]
            var out = [Float](repeating: 0, count: H * H)
            for r in 0..<H { for c in 0..<H { out[r * H + c] = w.storage[r * width + block * H + c] } }
            return Tensor(shape: [H, H], storage: out)
        }
        let noBias = Tensor(zeros: [H])
        let chordDownE = Linear(weight: columns(d.chordEmbeddingDownsample.weight, 0), bias: noBias)
        chordDownZ = columns(d.chordEmbeddingDownsample.weight, 1)
        let melodyDownM = Linear(weight: columns(d.melodyEmbeddingDownsample.weight, 0), bias: noBias)
        melodyDownChord = columns(d.melodyEmbeddingDownsample.weight, 1)
        melodyDownZ = columns(d.melodyEmbeddingDownsample.weight, 2)
        let noGateBias = Tensor(zeros: [Self.G])
        let chordIH = Linear(weight: d.chordsLSTM.weightIH, bias: noGateBias)
        let melodyIH = Linear(weight: d.melodyLSTM.weightIH, bias: noGateBias)

        let chordInPart = chordDownE(d.chordEmbeddings.weight)                 // [9, H]
        chordGates = chordIH(chordInPart).storage
        firstMelodyGates = melodyIH(chordInPart).storage
        melodyGatesFromChord = melodyIH(Linear(weight: melodyDownChord, bias: noBias)(chordInPart)).storage
        melodyGatesFromNote = melodyIH(melodyDownM(d.melodyEmbeddings.weight)).storage
        chordBias = zip(d.chordsLSTM.biasIH.storage, d.chordsLSTM.biasHH.storage).map { $0 + $1 }
        melodyBias = zip(d.melodyLSTM.biasIH.storage, d.melodyLSTM.biasHH.storage).map { $0 + $1 }
    }

    /// Decodes a batch z [B, 100] (row-major), stopping each row at its end token. Melody
    /// notes are argmax unless `melody` says how to sample them; a row with a guide
    /// (`guides[r]`) is decoded to that form (`DecodingGuide`).
    public func decode(_ z: Tensor, melody: MelodySampling? = nil, guides: [DecodingGuide?]? = nil) -> [DecoderOutput] {
        precondition(z.columns == Self.H, "a latent vector has \(Self.H) values")
        precondition(guides == nil || guides!.count == z.rows, "one guide (or nil) per row")
        let B = z.rows, H = Self.H, G = Self.G, d = decoder
        let tempo = d.tempoHead(z), key = d.keyHead(z), mode = d.modeHead(z)
        let valence = d.valenceHead(z), energy = d.energyHead(z)

        // Per-song constants.
        let zc = Linear(weight: chordDownZ, bias: d.chordEmbeddingDownsample.bias)(z)                 // chord_in − table part
        let chordIH = Linear(weight: d.chordsLSTM.weightIH, bias: Tensor(shape: [G], storage: chordBias))
        let melodyIH = Linear(weight: d.melodyLSTM.weightIH, bias: Tensor(shape: [G], storage: melodyBias))
        var firstChordIn = chordIH(z).storage                                                           // step 0 sees z
        var chordConst = chordIH(zc).storage
        let u = Linear(weight: melodyDownChord, bias: d.melodyEmbeddingDownsample.bias)(zc).storage
        let uz = Linear(weight: melodyDownZ, bias: Tensor(zeros: [H]))(z).storage
        var melodyConst = melodyIH(Tensor(shape: [B, H], storage: zip(u, uz).map { $0 + $1 })).storage
        var firstMelodyConst = melodyIH(zc).storage

        var outputs = (0..<B).map { r in
            DecoderOutput(chords: [], melody: [], tempo: tempo.storage[r], energy: energy.storage[r], valence: valence.storage[r],
                          keyIndex: argmaxFirst(key.row(r)), modeIndex: argmaxFirst(mode.row(r)),
                          firstChordLogits: [], firstMelodyLogits: [])
        }

        // Row state, compacted as rows finish: `rows[i]` is the output index of active row i.
        var rows = Array(0..<B)
        var hc = [Float](repeating: 0, count: B * H), cc = hc, hm = hc, cm = hc
        var previousChordGates = [Float](repeating: 0, count: B * G)   // melody gates of the last note's input
        var chordInGates = [Float](repeating: 0, count: B * G)
        var melodyInGates = [Float](repeating: 0, count: B * G)
        var gates = [Float](repeating: 0, count: B * G)
        var hidden = [Float](repeating: 0, count: B * H)
        var logits = [Float](repeating: 0, count: B * 15)
        var lastNote = [Int](repeating: 0, count: B)
        var generators: [SplitMix64] = []
        if let melody {
            z.storage.withUnsafeBufferPointer { all in
                generators = (0..<B).map { melody.generator(for: UnsafeBufferPointer(rebasing: all[($0 * H)..<(($0 + 1) * H)])) }
            }
        }

        // Step 0 of the chord LSTM sees z itself.
        chordInGates = firstChordIn
        firstChordIn = []

        for step in 0..<Lofi2LofiDecoder.maxChords {
            let n = rows.count
            if n == 0 { break }
            // Chord LSTM.
            linear(hc, n, d.chordsLSTM.weightHH, into: &gates, start: chordInGates)
            lstm(&gates, &cc, &hc, n)
            head(d.chordPrediction, hc, n, hidden: &hidden, into: &logits, width: 9)
            var keep: [Int] = []
            var chordTokens = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let row = logits[(i * 9)..<(i * 9 + 9)]
                let t = guides?[rows[i]]?.chord(row, step: step) ?? argmaxFirst(row)
                chordTokens[i] = t
                if step == 0 { outputs[rows[i]].firstChordLogits = Array(logits[(i * 9)..<(i * 9 + 9)]) }
                if t == Lofi2LofiDecoder.endToken { continue }
                outputs[rows[i]].chords.append(t)
                keep.append(i)
            }
            if keep.count < n {
                // Drop finished rows from every per-row buffer.
                compact(&hc, H, keep); compact(&cc, H, keep); compact(&hm, H, keep); compact(&cm, H, keep)
                compact(&chordConst, G, keep); compact(&melodyConst, G, keep); compact(&firstMelodyConst, G, keep)
                compact(&previousChordGates, G, keep)
                lastNote = keep.map { lastNote[$0] }
                chordTokens = keep.map { chordTokens[$0] }
                rows = keep.map { rows[$0] }
            }
            let m = rows.count
            if m == 0 { break }
            // Next chord step's input gates, and this chord's melody-input part.
            var currentChordGates = [Float](repeating: 0, count: m * G)
            for i in 0..<m {
                let k = chordTokens[i]
                Self.add(chordConst, i * G, chordGates, k * G, into: &chordInGates, i * G)
                Self.add(melodyConst, i * G, melodyGatesFromChord, k * G, into: &currentChordGates, i * G)
            }
            for j in 0..<Lofi2LofiDecoder.notesPerChord {
                for i in 0..<m {
                    let base = i * G
                    if step == 0 && j == 0 {
                        Self.add(firstMelodyConst, base, firstMelodyGates, chordTokens[i] * G, into: &melodyInGates, base)
                    } else {
                        // The first note of a chord is fed the input built with the previous chord.
                        Self.add(j == 0 ? previousChordGates : currentChordGates, base, melodyGatesFromNote, lastNote[i] * G,
                                 into: &melodyInGates, base)
                    }
                }
                linear(hm, m, d.melodyLSTM.weightHH, into: &gates, start: melodyInGates)
                lstm(&gates, &cm, &hm, m)
                head(d.melodyPrediction, hm, m, hidden: &hidden, into: &logits, width: 15)
                for i in 0..<m {
                    let slot = logits[(i * 15)..<(i * 15 + 15)]
                    func choose(_ l: ArraySlice<Float>) -> Int {
                        melody?.pick(l, chord: chordTokens[i], onBeat: j % 2 == 0, rng: &generators[rows[i]]) ?? argmaxFirst(l)
                    }
                    let t = guides?[rows[i]].map { $0.note(slot, step: step, slot: j, previous: j == 0 ? nil : lastNote[i], pick: choose) }
                        ?? choose(slot)
                    if step == 0 && j == 0 { outputs[rows[i]].firstMelodyLogits = Array(slot) }
                    outputs[rows[i]].melody.append(t)
                    lastNote[i] = t
                }
            }
            previousChordGates.replaceSubrange(0..<(m * G), with: currentChordGates)
        }
        return outputs
    }

    /// out[n×G] = init + x[n×H]·Wᵀ.
    private func linear(_ x: [Float], _ n: Int, _ w: Tensor, into out: inout [Float], start: [Float]) {
        let outputs = w.shape[0], inputs = w.shape[1]
        out.withUnsafeMutableBufferPointer { o in
            start.withUnsafeBufferPointer { i in o.baseAddress!.update(from: i.baseAddress!, count: n * outputs) }
            x.withUnsafeBufferPointer { xp in
                w.storage.withUnsafeBufferPointer { wp in
                    BLAS.linear(xp.baseAddress!, rows: n, inputs: inputs, weight: wp.baseAddress!, outputs: outputs,
                                into: o.baseAddress!, accumulate: true)
                }
            }
        }
    }

    private func lstm(_ gates: inout [Float], _ c: inout [Float], _ h: inout [Float], _ n: Int) {
        gates.withUnsafeMutableBufferPointer { g in
            c.withUnsafeMutableBufferPointer { cp in
                h.withUnsafeMutableBufferPointer { hp in
                    // In place: c and h are both the previous state and the new one.
                    lofi_lstm_forward(VectorLevel.current, g.baseAddress!, cp.baseAddress!, hp.baseAddress!,
                                      cp.baseAddress!, hp.baseAddress!, nil, n, Self.H, nil)
                }
            }
        }
    }

    /// Linear → ReLU → Linear into `out` [n×width].
    private func head(_ h: Head, _ x: [Float], _ n: Int, hidden: inout [Float], into out: inout [Float], width: Int) {
        let H = h.first.outputs
        h.first.bias.storage.withUnsafeBufferPointer { b in
            hidden.withUnsafeMutableBufferPointer { o in for r in 0..<n { (o.baseAddress! + r * H).update(from: b.baseAddress!, count: H) } }
        }
        h.second.bias.storage.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in for r in 0..<n { (o.baseAddress! + r * width).update(from: b.baseAddress!, count: width) } }
        }
        hidden.withUnsafeMutableBufferPointer { hp in
            x.withUnsafeBufferPointer { xp in
                h.first.weight.storage.withUnsafeBufferPointer { wp in
                    BLAS.linear(xp.baseAddress!, rows: n, inputs: h.first.inputs, weight: wp.baseAddress!, outputs: H,
                                into: hp.baseAddress!, accumulate: true)
                }
            }
            for i in 0..<(n * H) { hp[i] = hp[i] < 0 ? 0 : hp[i] }  // ReLU; a select vectorises
            out.withUnsafeMutableBufferPointer { op in
                h.second.weight.storage.withUnsafeBufferPointer { wp in
                    BLAS.linear(UnsafePointer(hp.baseAddress!), rows: n, inputs: H, weight: wp.baseAddress!, outputs: width,
                                into: op.baseAddress!, accumulate: true)
                }
            }
        }
    }

    /// out[o..<o+G] = a[i..<i+G] + b[j..<j+G]: one gate row from two parts, on pointers so
    /// that the loop vectorises (indexed arrays kept it scalar, a tenth of a batch decode).
    @inline(__always)
    private static func add(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int, into out: inout [Float], _ o: Int) {
        precondition(i + G <= a.count && j + G <= b.count && o + G <= out.count)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op in
                    let x = ap.baseAddress! + i, y = bp.baseAddress! + j, z = op.baseAddress! + o
                    for g in 0..<G { z[g] = x[g] + y[g] }
                }
            }
        }
    }

    /// Keeps rows `keep` (ascending) of a [rows × width] buffer, moved to the front.
    private func compact(_ buffer: inout [Float], _ width: Int, _ keep: [Int]) {
        buffer.withUnsafeMutableBufferPointer { b in
            for (dst, src) in keep.enumerated() where dst != src {
                (b.baseAddress! + dst * width).update(from: b.baseAddress! + src * width, count: width)
            }
        }
    }
}
