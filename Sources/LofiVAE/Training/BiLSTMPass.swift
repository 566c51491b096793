/// One direction of an encoder LSTM over a batch of token sequences of different lengths,
/// with the activations kept for backpropagation through time. The input product is a table
/// (embedding · W_ihᵀ, one row per token) looked up per step; rows past their length keep
/// their state (forward) or have not started (reverse), as PyTorch's packed sequences do.
final class LSTMDirectionPass {
    let embedding: Parameter
    let wih: Parameter, whh: Parameter, bih: Parameter, bhh: Parameter
    let reverse: Bool
    let H: Int, G: Int

    var B = 0, T = 0
    var tokens: [Int32] = []      // [B×T], position order
    var lengths: [Int] = []
    let table = Buffer(), acts = Buffer(), cs = Buffer(), hs = Buffer(), tanhCs = Buffer(), masks = Buffer()
    var maskBits: [Bool] = []     // [T×B], step order
    var keptForBackward = false
    let dGates = Buffer(), dTable = Buffer(), scratch = Buffer()

    init(_ p: VAEParameters, embedding: String, lstm: String, reverse: Bool) {
        self.embedding = p[embedding]
        let s = reverse ? "_l0_reverse" : "_l0"
        wih = p["\(lstm).weight_ih\(s)"]; whh = p["\(lstm).weight_hh\(s)"]
        bih = p["\(lstm).bias_ih\(s)"]; bhh = p["\(lstm).bias_hh\(s)"]
        self.reverse = reverse
        H = whh.shape[1]
        G = 4 * H
    }

    func position(_ step: Int) -> Int { reverse ? T - 1 - step : step }

    /// Runs the direction; returns a pointer to the final hidden state [B×H]. `forBackward`
    /// also keeps tanh c per step, which only `backward` reads.
    func forward(tokens: [Int32], lengths: [Int], B: Int, T: Int, forBackward: Bool) -> UnsafeMutablePointer<Float> {
        self.tokens = tokens; self.lengths = lengths; self.B = B; self.T = T
        keptForBackward = forBackward
        let V = embedding.shape[0]
        let tab = table.reserve(V * G, zero: false)
        gemm(false, true, V, G, H, 1, embedding.p, wih.p, 0, tab)
        // The biases ride along in the table: every valid step adds exactly one row.
        for t in 0..<V { for j in 0..<G { tab[t * G + j] += bih.p[j] + bhh.p[j] } }
        let a = acts.reserve(T * B * G, zero: false)
        let c = cs.reserve((T + 1) * B * H), h = hs.reserve((T + 1) * B * H), tc = forBackward ? tanhCs.reserve(T * B * H, zero: false) : nil
        maskBits = [Bool](repeating: true, count: T * B)
        for k in 0..<T {
            let t = position(k)
            let g = a + k * B * G
            for b in 0..<B {
                let valid = t < lengths[b]
                maskBits[k * B + b] = valid
                let row = g + b * G
                let tok = valid ? Int(tokens[b * T + t]) : 0
                row.update(from: tab + tok * G, count: G)
            }
            gemm(false, true, B, G, H, 1, h + k * B * H, whh.p, 1, g)
            maskBits.withUnsafeBufferPointer { m in
                LSTMKernel.forward(gates: g, cPrev: c + k * B * H, hPrev: h + k * B * H, c: c + (k + 1) * B * H, h: h + (k + 1) * B * H,
                                   tanhC: tc.map { $0 + k * B * H }, rows: B, hidden: H, mask: m.baseAddress! + k * B)
            }
        }
        return h + T * B * H
    }

    /// Backpropagates dh into the final state; accumulates every parameter gradient.
    func backward(_ dhFinal: UnsafePointer<Float>) {
        precondition(keptForBackward, "backward after a forward-only pass")
        let V = embedding.shape[0]
        let dG = dGates.reserve(T * B * G, zero: false)
        let work = scratch.reserve(4 * B * H)
        let dh = work, dc = work + B * H, dcPrev = work + 2 * B * H, pass = work + 3 * B * H
        dh.update(from: dhFinal, count: B * H)
        let a = acts.pointer, c = cs.pointer, h = hs.pointer, tc = tanhCs.pointer
        for k in stride(from: T - 1, through: 0, by: -1) {
            maskBits.withUnsafeBufferPointer { m in
                LSTMKernel.backward(acts: a + k * B * G, cPrev: c + k * B * H, tanhC: tc + k * B * H, dh: dh, dc: dc,
                                    dGates: dG + k * B * G, dcPrev: dcPrev, dhPass: pass, rows: B, hidden: H, mask: m.baseAddress! + k * B)
            }
            // dh_prev = dGates·W_hh (+ the pass-through of masked rows).
            gemm(false, false, B, H, G, 1, dG + k * B * G, whh.p, 0, dh)
            for i in 0..<(B * H) { dh[i] += pass[i] }
            dc.update(from: dcPrev, count: B * H)
        }
        // Weight gradients for all steps at once.
        gemm(true, false, G, H, T * B, 1, dG, h, 1, whh.g)
        let dT = dTable.reserve(V * G)
        for k in 0..<T {
            let t = position(k)
            for b in 0..<B where maskBits[k * B + b] {
                let row = dG + (k * B + b) * G, tok = Int(tokens[b * T + t])
                for j in 0..<G { dT[tok * G + j] += row[j] }
            }
        }
        // b_ih and b_hh enter every valid step as the table row does: both get the table
        // gradient summed over tokens.
        for t in 0..<V {
            for j in 0..<G {
                bih.g[j] += dT[t * G + j]
                bhh.g[j] += dT[t * G + j]
            }
        }
        gemm(true, false, G, H, V, 1, dT, embedding.p, 1, wih.g)
        gemm(false, false, V, H, G, 1, dT, wih.p, 1, embedding.g)
    }
}
