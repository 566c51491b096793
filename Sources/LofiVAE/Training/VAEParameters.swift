import Theory

/// Sizes of the model; the real model is the default (LOFI2LOFI.md), tests shrink it.
public struct VAEShape: Sendable, Equatable {
    public var hidden = 100
    public var small = 32
    public static let chordTokens = 9
    public static let melodyTokens = 15
    public init(hidden: Int = 100, small: Int = 32) {
        self.hidden = hidden
        self.small = small
    }
}

/// Every trainable tensor of Lofi2Lofi: the decoder under the reference checkpoint's names
/// (so a trained model loads in `Lofi2LofiDecoder` unchanged), the encoder under `encoder.`.
public final class VAEParameters: @unchecked Sendable {
    public let shape: VAEShape
    public private(set) var all: [Parameter] = []
    private var byName: [String: Parameter] = [:]

    /// `forgetBias` starts every LSTM's forget gate open by that much (0 is PyTorch's
    /// initialisation): long melodies keep their early notes in the state from the first step.
    public init(shape: VAEShape = VAEShape(), seed: UInt64, forgetBias: Float = 0) {
        self.shape = shape
        var rng = SplitMix64(seed: seed ^ 0x1A7E_57)
        let H = shape.hidden, S = shape.small, G = 4 * H
        func linear(_ name: String, _ inputs: Int, _ outputs: Int) {
            add(Parameter("\(name).weight", [outputs, inputs], fanIn: inputs, rng: &rng))
            add(Parameter("\(name).bias", [outputs], fanIn: inputs, rng: &rng))
        }
        func head(_ name: String, _ hidden: Int, _ outputs: Int) {
            linear("\(name).0", H, hidden)
            linear("\(name).2", hidden, outputs)
        }
        func lstm(_ name: String, _ suffix: String = "") {
            add(Parameter("\(name).weight_ih\(suffix)", [G, H], fanIn: H, rng: &rng))
            add(Parameter("\(name).weight_hh\(suffix)", [G, H], fanIn: H, rng: &rng))
            add(Parameter("\(name).bias_ih\(suffix)", [G], fanIn: H, rng: &rng))
            add(Parameter("\(name).bias_hh\(suffix)", [G], fanIn: H, rng: &rng))
            if forgetBias != 0 {
                let ih = self["\(name).bias_ih\(suffix)"], hh = self["\(name).bias_hh\(suffix)"]
                for i in H..<(2 * H) { ih.p[i] = forgetBias; hh.p[i] = 0 }
            }
        }
        // Decoder.
        for (n, out) in [("tempo_linear", 1), ("key_linear", 12), ("mode_linear", 7), ("valence_linear", 1), ("energy_linear", 1)] {
            head(n, S, out)
        }
        lstm("chords_lstm")
        lstm("melody_lstm")
        head("chord_prediction", H, VAEShape.chordTokens)
        head("melody_prediction", H, VAEShape.melodyTokens)
        add(Parameter("chord_embeddings.weight", [VAEShape.chordTokens, H], fanIn: nil, rng: &rng))
        add(Parameter("melody_embeddings.weight", [VAEShape.melodyTokens, H], fanIn: nil, rng: &rng))
        linear("chord_embedding_downsample", 2 * H, H)
        linear("melody_embedding_downsample", 3 * H, H)
        // Encoder.
        add(Parameter("encoder.chord_embeddings.weight", [VAEShape.chordTokens, H], fanIn: nil, rng: &rng))
        add(Parameter("encoder.melody_embeddings.weight", [VAEShape.melodyTokens, H], fanIn: nil, rng: &rng))
        lstm("encoder.chords_lstm", "_l0")
        lstm("encoder.chords_lstm", "_l0_reverse")
        lstm("encoder.melody_lstm", "_l0")
        lstm("encoder.melody_lstm", "_l0_reverse")
        linear("encoder.tempo_linear", 1, S)
        linear("encoder.valence_linear", 1, S)
        linear("encoder.energy_linear", 1, S)
        add(Parameter("encoder.key_embeddings.weight", [12, S], fanIn: nil, rng: &rng))
        add(Parameter("encoder.mode_embeddings.weight", [7, S], fanIn: nil, rng: &rng))
        linear("encoder.downsample", 4 * H + 5 * S, H)
        linear("encoder.mean_linear", H, H)
        linear("encoder.variance_linear", H, H)
    }

    /// The whole VAE from a checkpoint that holds an encoder (the project's own models).
    public convenience init(loading dict: StateDict) throws {
        guard let hidden = dict["encoder.mean_linear.weight"]?.shape.first else {
            throw SkipError("the model has no encoder (a decoder-only checkpoint such as the original .pth)")
        }
        self.init(shape: VAEShape(hidden: hidden), seed: 0)
        try load(dict)
    }

    private func add(_ p: Parameter) {
        all.append(p)
        byName[p.name] = p
    }

    public subscript(_ name: String) -> Parameter { byName[name]! }

    public var count: Int { all.reduce(0) { $0 + $1.count } }

    /// Whether every weight is finite (a diverged step makes NaNs that spread everywhere).
    public var allFinite: Bool {
        all.allSatisfy { p in UnsafeBufferPointer(start: p.p, count: p.count).allSatisfy(\.isFinite) }
    }

    func zeroGrad() { for p in all { p.zeroGrad() } }

    /// All tensors as a state dict (the decoder part loads into `Lofi2LofiDecoder`).
    public var stateDict: StateDict { StateDict(all.map { ($0.name, $0.tensor) }) }

    /// Loads values from a state dict with the same names and shapes.
    public func load(_ dict: StateDict) throws(CheckpointError) {
        for p in all {
            let t = try dict.tensor(p.name, shape: p.shape)
            p.set(t.storage)
        }
    }

    /// Optimizer moments as a state dict (for resuming).
    var momentDict: StateDict {
        StateDict(all.flatMap { p in
            [("adam.m.\(p.name)", Tensor(shape: p.shape, storage: Array(UnsafeBufferPointer(start: p.m, count: p.count)))),
             ("adam.v.\(p.name)", Tensor(shape: p.shape, storage: Array(UnsafeBufferPointer(start: p.v, count: p.count))))]
        })
    }

    func loadMoments(_ dict: StateDict) throws(CheckpointError) {
        for p in all {
            let m = try dict.tensor("adam.m.\(p.name)", shape: p.shape), v = try dict.tensor("adam.v.\(p.name)", shape: p.shape)
            m.storage.withUnsafeBufferPointer { p.m.update(from: $0.baseAddress!, count: p.count) }
            v.storage.withUnsafeBufferPointer { p.v.update(from: $0.baseAddress!, count: p.count) }
        }
    }
}
