/// The Lofi2Lofi decoder of LOFI2LOFI.md: five heads read from z, then a chord LSTM that
/// emits one Roman numeral per step and a melody LSTM that emits eight notes per chord.
public struct Lofi2LofiDecoder: Sendable {
    public static let hidden = 100
    public static let smallHidden = 32
    public static let chordTokens = 9
    public static let melodyTokens = 15
    public static let notesPerChord = 8
    public static let maxChords = 50
    public static let endToken = 8

    public let tempoHead, keyHead, modeHead, valenceHead, energyHead: Head
    public let chordsLSTM, melodyLSTM: LSTMCell
    public let chordPrediction, melodyPrediction: Head
    public let chordEmbeddings, melodyEmbeddings: Embedding
    public let chordEmbeddingDownsample, melodyEmbeddingDownsample: Linear

    /// The checkpoint names the decoder reads: a model file's other tensors (the encoder's)
    /// are not loaded to decode.
    public static let parameterNames: Set<String> = {
        var names: Set<String> = []
        for h in ["tempo_linear", "key_linear", "mode_linear", "valence_linear", "energy_linear", "chord_prediction", "melody_prediction"] {
            for part in ["0.weight", "0.bias", "2.weight", "2.bias"] { names.insert("\(h).\(part)") }
        }
        for l in ["chords_lstm", "melody_lstm"] {
            for part in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] { names.insert("\(l).\(part)") }
        }
        names.formUnion(["chord_embeddings.weight", "melody_embeddings.weight"])
        for d in ["chord_embedding_downsample", "melody_embedding_downsample"] { names.formUnion(["\(d).weight", "\(d).bias"]) }
        return names
    }()

    public init(_ p: StateDict) throws(CheckpointError) {
        let H = Self.hidden, h2 = Self.smallHidden
        tempoHead = try Head(p, "tempo_linear", hidden: h2, outputs: 1)
        keyHead = try Head(p, "key_linear", hidden: h2, outputs: 12)
        modeHead = try Head(p, "mode_linear", hidden: h2, outputs: 7)
        valenceHead = try Head(p, "valence_linear", hidden: h2, outputs: 1)
        energyHead = try Head(p, "energy_linear", hidden: h2, outputs: 1)
        chordsLSTM = try LSTMCell(p, "chords_lstm", inputs: H, hidden: H)
        melodyLSTM = try LSTMCell(p, "melody_lstm", inputs: H, hidden: H)
        chordPrediction = try Head(p, "chord_prediction", hidden: H, outputs: Self.chordTokens)
        melodyPrediction = try Head(p, "melody_prediction", hidden: H, outputs: Self.melodyTokens)
        chordEmbeddings = try Embedding(p, "chord_embeddings", count: Self.chordTokens, dimension: H)
        melodyEmbeddings = try Embedding(p, "melody_embeddings", count: Self.melodyTokens, dimension: H)
        chordEmbeddingDownsample = try Linear(p, "chord_embedding_downsample", inputs: 2 * H, outputs: H)
        melodyEmbeddingDownsample = try Linear(p, "melody_embedding_downsample", inputs: 3 * H, outputs: H)
    }

    /// The decoder's parameters under their checkpoint names.
    public var stateDict: StateDict {
        var d = StateDict()
        func head(_ h: Head, _ n: String) {
            d["\(n).0.weight"] = h.first.weight; d["\(n).0.bias"] = h.first.bias
            d["\(n).2.weight"] = h.second.weight; d["\(n).2.bias"] = h.second.bias
        }
        func lstm(_ l: LSTMCell, _ n: String) {
            d["\(n).weight_ih"] = l.weightIH; d["\(n).weight_hh"] = l.weightHH
            d["\(n).bias_ih"] = l.biasIH; d["\(n).bias_hh"] = l.biasHH
        }
        head(tempoHead, "tempo_linear"); head(keyHead, "key_linear"); head(modeHead, "mode_linear")
        head(valenceHead, "valence_linear"); head(energyHead, "energy_linear")
        lstm(chordsLSTM, "chords_lstm"); lstm(melodyLSTM, "melody_lstm")
        head(chordPrediction, "chord_prediction"); head(melodyPrediction, "melody_prediction")
        d["chord_embeddings.weight"] = chordEmbeddings.weight
        d["melody_embeddings.weight"] = melodyEmbeddings.weight
        d["chord_embedding_downsample.weight"] = chordEmbeddingDownsample.weight
        d["chord_embedding_downsample.bias"] = chordEmbeddingDownsample.bias
        d["melody_embedding_downsample.weight"] = melodyEmbeddingDownsample.weight
        d["melody_embedding_downsample.bias"] = melodyEmbeddingDownsample.bias
        return d
    }

    /// The decoder run literally as LOFI2LOFI.md writes it, with allocating layer calls:
    /// the readable statement of the model, against which the fast `DecoderEngine` is checked.
    /// z is [B, 100]; runs all 50 steps.
    public func decodeLiterally(_ z: Tensor) -> [DecoderOutput] {
        let B = z.rows, H = Self.hidden
        var hc = Tensor(zeros: [B, H]), cc = hc, hm = hc, cm = hc
        var chordIn = z
        var melodyIn: Tensor? = nil
        var chordLogits: [Tensor] = [], melodyLogits: [Tensor] = []
        for _ in 0..<Self.maxChords {
            (hc, cc) = chordsLSTM(chordIn, hc, cc)
            let logits = chordPrediction(hc)
            chordLogits.append(logits)
            let e = chordEmbeddings(logits.argmaxRows())
            chordIn = chordEmbeddingDownsample(Tensor.concatColumns([e, z]))
            if melodyIn == nil { melodyIn = chordIn }
            for _ in 0..<Self.notesPerChord {
                (hm, cm) = melodyLSTM(melodyIn!, hm, cm)
                let ml = melodyPrediction(hm)
                melodyLogits.append(ml)
                let m = melodyEmbeddings(ml.argmaxRows())
                melodyIn = melodyEmbeddingDownsample(Tensor.concatColumns([m, chordIn, z]))
            }
        }
        let tempo = tempoHead(z), key = keyHead(z), mode = modeHead(z), valence = valenceHead(z), energy = energyHead(z)
        return (0..<B).map { r in
            let chords = chordLogits.map { argmaxFirst($0.row(r)) }
            let length = chords.firstIndex(of: Self.endToken) ?? Self.maxChords
            return DecoderOutput(
                chords: Array(chords[..<length]),
                melody: melodyLogits.prefix(length * Self.notesPerChord).map { argmaxFirst($0.row(r)) },
                tempo: tempo.storage[r], energy: energy.storage[r], valence: valence.storage[r],
                keyIndex: argmaxFirst(key.row(r)), modeIndex: argmaxFirst(mode.row(r)),
                firstChordLogits: Array(chordLogits[0].row(r)), firstMelodyLogits: Array(melodyLogits[0].row(r)))
        }
    }
}

/// What the decoder produced for one latent vector, before it becomes a Song.
public struct DecoderOutput: Sendable, Equatable {
    /// Chord tokens before the first end token.
    public var chords: [Int]
    /// 8 melody tokens per chord.
    public var melody: [Int]
    public var tempo: Float
    public var energy: Float
    public var valence: Float
    public var keyIndex: Int
    public var modeIndex: Int
    public var firstChordLogits: [Float]
    public var firstMelodyLogits: [Float]
}
