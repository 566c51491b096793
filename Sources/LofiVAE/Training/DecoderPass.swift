/// The decoder run for training: as in inference (LOFI2LOFI.md) it feeds back its own argmax,
/// except where teacher forcing gives it the target token instead; it keeps every activation
/// for backpropagation through time. The embeddings' downsample and LSTM input products are
/// tables per token and constants per song (as in `DecoderEngine`); their gradients are
/// gathered per token and per song during the backward loop and pushed into the weights
/// with a few small products at the end.
final class DecoderPass {
    let P: VAEParameters
    let H: Int, G: Int
    // Parameters.
    let ihC, hhC, bihC, bhhC, ihM, hhM, bihM, bhhM: Parameter
    let chordW1, chordB1, chordW2, chordB2, melW1, melB1, melW2, melB2: Parameter
    let embC, embM, cdW, cdB, mdW, mdB: Parameter

    // Per-batch tables and constants.
    let cEP = Buffer(), tcG = Buffer(), fmG = Buffer(), cc = Buffer(), pcG = Buffer(), mm = Buffer(), tmG = Buffer()
    let zc = Buffer(), a0 = Buffer(), kc = Buffer(), u = Buffer(), pconst = Buffer(), fconst = Buffer()
    // Activations.
    let actC = Buffer(), cC = Buffer(), hC = Buffer(), tanhCC = Buffer(), uC = Buffer(), logitsC = Buffer()
    let actM = Buffer(), cM = Buffer(), hM = Buffer(), tanhCM = Buffer(), uM = Buffer(), logitsM = Buffer()
    // Gradients and scratch.
    let dLogC = Buffer(), dLogM = Buffer(), dhHeadC = Buffer(), dhHeadM = Buffer(), dUC = Buffer(), dUM = Buffer()
    let dGC = Buffer(), dGM = Buffer(), work = Buffer()
    let dTcG = Buffer(), dFmG = Buffer(), dPcG = Buffer(), dTmG = Buffer()
    let dA0 = Buffer(), dKc = Buffer(), dPconst = Buffer(), dFconst = Buffer()

    var B = 0, N = 0
    var Tc: Int { N + 1 }
    var Tm: Int { 8 * N }
    var tokC: [Int32] = []   // [Tc×B] tokens fed onward
    var tokM: [Int32] = []   // [Tm×B]
    var dropM: [Bool] = []   // [Tm×B]: step s gets no note input from step s − 1
    var keptForBackward = false

    init(_ p: VAEParameters) {
        P = p
        H = p.shape.hidden
        G = 4 * H
        ihC = p["chords_lstm.weight_ih"]; hhC = p["chords_lstm.weight_hh"]; bihC = p["chords_lstm.bias_ih"]; bhhC = p["chords_lstm.bias_hh"]
        ihM = p["melody_lstm.weight_ih"]; hhM = p["melody_lstm.weight_hh"]; bihM = p["melody_lstm.bias_ih"]; bhhM = p["melody_lstm.bias_hh"]
        chordW1 = p["chord_prediction.0.weight"]; chordB1 = p["chord_prediction.0.bias"]
        chordW2 = p["chord_prediction.2.weight"]; chordB2 = p["chord_prediction.2.bias"]
        melW1 = p["melody_prediction.0.weight"]; melB1 = p["melody_prediction.0.bias"]
        melW2 = p["melody_prediction.2.weight"]; melB2 = p["melody_prediction.2.bias"]
        embC = p["chord_embeddings.weight"]; embM = p["melody_embeddings.weight"]
        cdW = p["chord_embedding_downsample.weight"]; cdB = p["chord_embedding_downsample.bias"]
        mdW = p["melody_embedding_downsample.weight"]; mdB = p["melody_embedding_downsample.bias"]
    }

    /// Forward over N chords (+1 step for the end token). `targetC` [B×(N+1)] (8 at a song's
    /// end, −1 where masked), `targetM` [B×8N] (−1 where masked); `forceC`/`forceM` choose
    /// teacher forcing per step and row; `forBackward` also keeps tanh c per step, which only
    /// `backward` reads.
    func forward(z: UnsafePointer<Float>, B: Int, N: Int, targetC: [Int32], targetM: [Int32], forceC: [Bool], forceM: [Bool], dropM: [Bool],
                 forBackward: Bool) {
        self.B = B; self.N = N
        keptForBackward = forBackward
        self.dropM = dropM
        let H = self.H, G = self.G
        // Tables: column blocks of the downsample weights (stride 2H and 3H).
        let cep = cEP.reserve(9 * H, zero: false)
        for r in 0..<9 { (cep + r * H).update(repeating: 0, count: H) }
        gemm(false, true, 9, H, H, 1, embC.p, lda: H, cdW.p, ldb: 2 * H, 0, cep, ldc: H)
        let tcg = tcG.reserve(9 * G, zero: false); gemm(false, true, 9, G, H, 1, cep, ihC.p, 0, tcg)
        let fmg = fmG.reserve(9 * G, zero: false); gemm(false, true, 9, G, H, 1, cep, ihM.p, 0, fmg)
        let ccp = cc.reserve(9 * H, zero: false); gemm(false, true, 9, H, H, 1, cep, lda: H, mdW.p + H, ldb: 3 * H, 0, ccp, ldc: H)
        let pcg = pcG.reserve(9 * G, zero: false); gemm(false, true, 9, G, H, 1, ccp, ihM.p, 0, pcg)
        let mmp = mm.reserve(15 * H, zero: false); gemm(false, true, 15, H, H, 1, embM.p, lda: H, mdW.p, ldb: 3 * H, 0, mmp, ldc: H)
        let tmg = tmG.reserve(15 * G, zero: false); gemm(false, true, 15, G, H, 1, mmp, ihM.p, 0, tmg)
        // Per-song constants.
        let zcp = zc.reserve(B * H, zero: false)
        for r in 0..<B { (zcp + r * H).update(from: cdB.p, count: H) }
        gemm(false, true, B, H, H, 1, z, lda: H, cdW.p + H, ldb: 2 * H, 1, zcp, ldc: H)
        let a0p = a0.reserve(B * G, zero: false); gemm(false, true, B, G, H, 1, z, ihC.p, 0, a0p)
        let kcp = kc.reserve(B * G, zero: false); gemm(false, true, B, G, H, 1, zcp, ihC.p, 0, kcp)
        let up = u.reserve(B * H, zero: false)
        for r in 0..<B { (up + r * H).update(from: mdB.p, count: H) }
        gemm(false, true, B, H, H, 1, zcp, lda: H, mdW.p + H, ldb: 3 * H, 1, up, ldc: H)
        gemm(false, true, B, H, H, 1, z, lda: H, mdW.p + 2 * H, ldb: 3 * H, 1, up, ldc: H)
        let pcp = pconst.reserve(B * G, zero: false); gemm(false, true, B, G, H, 1, up, ihM.p, 0, pcp)
        let fcp = fconst.reserve(B * G, zero: false); gemm(false, true, B, G, H, 1, zcp, ihM.p, 0, fcp)
        // The LSTM biases ride along in the per-song constants (every step adds exactly one
        // of them), so the step loops add two rows instead of four.
        for b in 0..<B {
            for q in 0..<G {
                let bc = bihC.p[q] + bhhC.p[q], bm = bihM.p[q] + bhhM.p[q]
                a0p[b * G + q] += bc; kcp[b * G + q] += bc
                pcp[b * G + q] += bm; fcp[b * G + q] += bm
            }
        }

        let aC = actC.reserve(Tc * B * G, zero: false), cCp = cC.reserve((Tc + 1) * B * H), hCp = hC.reserve((Tc + 1) * B * H)
        let tCp = forBackward ? tanhCC.reserve(Tc * B * H, zero: false) : nil
        let tMp = forBackward ? tanhCM.reserve(max(1, Tm) * B * H, zero: false) : nil
        let uCp = uC.reserve(Tc * B * H, zero: false), lC = logitsC.reserve(Tc * B * 9, zero: false)
        let aM = actM.reserve(max(1, Tm) * B * G, zero: false), cMp = cM.reserve((Tm + 1) * B * H), hMp = hM.reserve((Tm + 1) * B * H)
        let uMp = uM.reserve(max(1, Tm) * B * H, zero: false), lM = logitsM.reserve(max(1, Tm) * B * 15, zero: false)
        tokC = [Int32](repeating: 0, count: Tc * B)
        tokM = [Int32](repeating: 0, count: Tm * B)

        for i in 0..<Tc {
            let g = aC + i * B * G
            for b in 0..<B {
                let row = g + b * G
                if i == 0 {
                    row.update(from: a0p + b * G, count: G)
                } else {
                    let t = Int(tokC[(i - 1) * B + b])
                    for j in 0..<G { row[j] = kcp[b * G + j] + tcg[t * G + j] }
                }
            }
            gemm(false, true, B, G, H, 1, hCp + i * B * H, hhC.p, 1, g)
            LSTMKernel.forward(gates: g, cPrev: cCp + i * B * H, hPrev: hCp + i * B * H, c: cCp + (i + 1) * B * H, h: hCp + (i + 1) * B * H,
                               tanhC: tCp.map { $0 + i * B * H }, rows: B, hidden: H, mask: nil)
            head(hCp + (i + 1) * B * H, w1: chordW1, b1: chordB1, w2: chordW2, b2: chordB2, u: uCp + i * B * H, logits: lC + i * B * 9, width: 9)
            for b in 0..<B {
                let target = targetC[b * Tc + i]
                tokC[i * B + b] = forceC[i * B + b] && target >= 0 ? target : Int32(argmaxFirst(UnsafeBufferPointer(start: lC + (i * B + b) * 9, count: 9)))
            }
            guard i < N else { continue }
            for j in 0..<8 {
                let s = 8 * i + j
                let g = aM + s * B * G
                for b in 0..<B {
                    let row = g + b * G
                    if s == 0 {
                        let t = Int(tokC[b])
                        for q in 0..<G { row[q] = fcp[b * G + q] + fmg[t * G + q] }
                    } else {
                        let t = Int(tokC[(j == 0 ? i - 1 : i) * B + b]), m = Int(tokM[(s - 1) * B + b])
                        if dropM[s * B + b] {
                            for q in 0..<G { row[q] = pcp[b * G + q] + pcg[t * G + q] }
                        } else {
                            for q in 0..<G { row[q] = pcp[b * G + q] + pcg[t * G + q] + tmg[m * G + q] }
                        }
                    }
                }
                gemm(false, true, B, G, H, 1, hMp + s * B * H, hhM.p, 1, g)
                LSTMKernel.forward(gates: g, cPrev: cMp + s * B * H, hPrev: hMp + s * B * H, c: cMp + (s + 1) * B * H, h: hMp + (s + 1) * B * H,
                                   tanhC: tMp.map { $0 + s * B * H }, rows: B, hidden: H, mask: nil)
                head(hMp + (s + 1) * B * H, w1: melW1, b1: melB1, w2: melW2, b2: melB2, u: uMp + s * B * H, logits: lM + s * B * 15, width: 15)
                for b in 0..<B {
                    let target = targetM[b * Tm + s]
                    tokM[s * B + b] = forceM[s * B + b] && target >= 0 ? target : Int32(argmaxFirst(UnsafeBufferPointer(start: lM + (s * B + b) * 15, count: 15)))
                }
            }
        }
    }

    /// u = relu(x·W1ᵀ + b1), logits = u·W2ᵀ + b2.
    private func head(_ x: UnsafePointer<Float>, w1: Parameter, b1: Parameter, w2: Parameter, b2: Parameter,
                      u: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>, width: Int) {
        linearForward(x, rows: B, w1, b1, into: u)
        for i in 0..<(B * w1.shape[0]) where u[i] < 0 { u[i] = 0 }
        linearForward(u, rows: B, w2, b2, into: logits)
    }

    /// Backward given dLogits for every chord step [Tc×B×9] and melody step [Tm×B×15]
    /// (already masked and scaled); adds dz into `dz` [B×H].
    func backward(dLogitsC: UnsafePointer<Float>, dLogitsM: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>) {
        precondition(keptForBackward, "backward after a forward-only pass")
        let H = self.H, G = self.G
        // Heads, all steps at once.
        let dhc = headBackward(dLogitsC, steps: Tc, h: hC.pointer + B * H, u: uC.pointer, w1: chordW1, b1: chordB1, w2: chordW2, b2: chordB2,
                               width: 9, dU: dUC, dh: dhHeadC)
        let dhm = Tm > 0 ? headBackward(dLogitsM, steps: Tm, h: hM.pointer + B * H, u: uM.pointer, w1: melW1, b1: melB1, w2: melW2, b2: melB2,
                                         width: 15, dU: dUM, dh: dhHeadM) : dhHeadM.reserve(1)

        let dTc = dTcG.reserve(9 * G), dFm = dFmG.reserve(9 * G), dPc = dPcG.reserve(9 * G), dTm = dTmG.reserve(15 * G)
        let dA = dA0.reserve(B * G), dK = dKc.reserve(B * G), dPk = dPconst.reserve(B * G), dFk = dFconst.reserve(B * G)

        // Chord recurrence.
        let w = work.reserve(4 * B * H)
        let dh = w, dc = w + B * H, dcPrev = w + 2 * B * H, pass = w + 3 * B * H
        let dGc = dGC.reserve(Tc * B * G, zero: false)
        for i in stride(from: Tc - 1, through: 0, by: -1) {
            for q in 0..<(B * H) { dh[q] += dhc[i * B * H + q] }
            LSTMKernel.backward(acts: actC.pointer + i * B * G, cPrev: cC.pointer + i * B * H, tanhC: tanhCC.pointer + i * B * H,
                                dh: dh, dc: dc, dGates: dGc + i * B * G, dcPrev: dcPrev, dhPass: pass, rows: B, hidden: H, mask: nil)
            gemm(false, false, B, H, G, 1, dGc + i * B * G, hhC.p, 0, dh)
            dc.update(from: dcPrev, count: B * H)
            for b in 0..<B {
                let row = dGc + (i * B + b) * G
                if i == 0 {
                    for q in 0..<G { dA[b * G + q] += row[q] }
                } else {
                    let t = Int(tokC[(i - 1) * B + b])
                    for q in 0..<G { dK[b * G + q] += row[q]; dTc[t * G + q] += row[q] }
                }
            }
        }
        gemm(true, false, G, H, Tc * B, 1, dGc, hC.pointer, 1, hhC.g)

        // Melody recurrence.
        if Tm > 0 {
            let w = work.reserve(4 * B * H)
            let dh = w, dc = w + B * H, dcPrev = w + 2 * B * H, pass = w + 3 * B * H
            let dGm = dGM.reserve(Tm * B * G, zero: false)
            for s in stride(from: Tm - 1, through: 0, by: -1) {
                for q in 0..<(B * H) { dh[q] += dhm[s * B * H + q] }
                LSTMKernel.backward(acts: actM.pointer + s * B * G, cPrev: cM.pointer + s * B * H, tanhC: tanhCM.pointer + s * B * H,
                                    dh: dh, dc: dc, dGates: dGm + s * B * G, dcPrev: dcPrev, dhPass: pass, rows: B, hidden: H, mask: nil)
                gemm(false, false, B, H, G, 1, dGm + s * B * G, hhM.p, 0, dh)
                dc.update(from: dcPrev, count: B * H)
                let i = s / 8, j = s % 8
                for b in 0..<B {
                    let row = dGm + (s * B + b) * G
                    if s == 0 {
                        let t = Int(tokC[b])
                        for q in 0..<G { dFk[b * G + q] += row[q]; dFm[t * G + q] += row[q] }
                    } else {
                        let t = Int(tokC[(j == 0 ? i - 1 : i) * B + b]), m = Int(tokM[(s - 1) * B + b])
                        for q in 0..<G { dPk[b * G + q] += row[q]; dPc[t * G + q] += row[q] }
                        if !dropM[s * B + b] { for q in 0..<G { dTm[m * G + q] += row[q] } }
                    }
                }
            }
            gemm(true, false, G, H, Tm * B, 1, dGm, hM.pointer, 1, hhM.g)
        }
        // Each step's gate gradient went to exactly one per-song sum, so the biases' gradients
        // are those sums added up.
        for b in 0..<B {
            for q in 0..<G {
                let c = dA[b * G + q] + dK[b * G + q], m = dPk[b * G + q] + dFk[b * G + q]
                bihC.g[q] += c; bhhC.g[q] += c
                bihM.g[q] += m; bhhM.g[q] += m
            }
        }

        // Tables → weights. Scratch for the H-wide gradients of the folded vectors.
        let scratch = work.reserve(9 * H + 9 * H + 15 * H + 4 * B * H)
        let dcep = scratch, dccp = scratch + 9 * H, dmm = scratch + 18 * H
        let dzc = scratch + 33 * H, dU = dzc + B * H
        // TmG = M·W_ihmᵀ, M = E_m·W_mdmᵀ.
        gemm(true, false, G, H, 15, 1, dTm, mm.pointer, 1, ihM.g)
        gemm(false, false, 15, H, G, 1, dTm, ihM.p, 0, dmm)
        gemm(true, false, H, H, 15, 1, dmm, lda: H, embM.p, ldb: H, 1, mdW.g, ldc: 3 * H)
        gemm(false, false, 15, H, H, 1, dmm, lda: H, mdW.p, ldb: 3 * H, 1, embM.g, ldc: H)
        // PcG = Cc·W_ihmᵀ, Cc = cEP·W_mdcᵀ.
        gemm(true, false, G, H, 9, 1, dPc, cc.pointer, 1, ihM.g)
        gemm(false, false, 9, H, G, 1, dPc, ihM.p, 0, dccp)
        gemm(true, false, H, H, 9, 1, dccp, lda: H, cEP.pointer, ldb: H, 1, mdW.g + H, ldc: 3 * H)
        gemm(false, false, 9, H, H, 1, dccp, lda: H, mdW.p + H, ldb: 3 * H, 0, dcep, ldc: H)
        // FmG = cEP·W_ihmᵀ; TcG = cEP·W_ihcᵀ.
        gemm(true, false, G, H, 9, 1, dFm, cEP.pointer, 1, ihM.g)
        gemm(false, false, 9, H, G, 1, dFm, ihM.p, 1, dcep)
        gemm(true, false, G, H, 9, 1, dTc, cEP.pointer, 1, ihC.g)
        gemm(false, false, 9, H, G, 1, dTc, ihC.p, 1, dcep)
        // cEP = E_c·W_cdeᵀ.
        gemm(true, false, H, H, 9, 1, dcep, lda: H, embC.p, ldb: H, 1, cdW.g, ldc: 2 * H)
        gemm(false, false, 9, H, H, 1, dcep, lda: H, cdW.p, ldb: 2 * H, 1, embC.g, ldc: H)

        // Per-song constants → z.
        // Pconst = U·W_ihmᵀ, U = zc·W_mdcᵀ + z·W_mdzᵀ + b_md.
        gemm(true, false, G, H, B, 1, dPk, u.pointer, 1, ihM.g)
        gemm(false, false, B, H, G, 1, dPk, ihM.p, 0, dU)
        gemm(true, false, H, H, B, 1, dU, lda: H, zc.pointer, ldb: H, 1, mdW.g + H, ldc: 3 * H)
        gemm(true, false, H, H, B, 1, dU, lda: H, z, ldb: H, 1, mdW.g + 2 * H, ldc: 3 * H)
        for b in 0..<B { for q in 0..<H { mdB.g[q] += dU[b * H + q] } }
        gemm(false, false, B, H, H, 1, dU, lda: H, mdW.p + H, ldb: 3 * H, 0, dzc, ldc: H)
        gemm(false, false, B, H, H, 1, dU, lda: H, mdW.p + 2 * H, ldb: 3 * H, 1, dz, ldc: H)
        // Fconst = zc·W_ihmᵀ; Kc = zc·W_ihcᵀ; A0 = z·W_ihcᵀ.
        gemm(true, false, G, H, B, 1, dFk, zc.pointer, 1, ihM.g)
        gemm(false, false, B, H, G, 1, dFk, ihM.p, 1, dzc)
        gemm(true, false, G, H, B, 1, dK, zc.pointer, 1, ihC.g)
        gemm(false, false, B, H, G, 1, dK, ihC.p, 1, dzc)
        gemm(true, false, G, H, B, 1, dA, z, 1, ihC.g)
        gemm(false, false, B, H, G, 1, dA, ihC.p, 1, dz)
        // zc = z·W_cdzᵀ + b_cd.
        gemm(true, false, H, H, B, 1, dzc, lda: H, z, ldb: H, 1, cdW.g + H, ldc: 2 * H)
        for b in 0..<B { for q in 0..<H { cdB.g[q] += dzc[b * H + q] } }
        gemm(false, false, B, H, H, 1, dzc, lda: H, cdW.p + H, ldb: 2 * H, 1, dz, ldc: H)
    }

    /// Backward of Linear → ReLU → Linear over `steps` stacked steps; returns dh [steps×B×H].
    private func headBackward(_ dLogits: UnsafePointer<Float>, steps: Int, h: UnsafePointer<Float>, u: UnsafePointer<Float>,
                              w1: Parameter, b1: Parameter, w2: Parameter, b2: Parameter, width: Int, dU: Buffer, dh: Buffer) -> UnsafeMutablePointer<Float> {
        let rows = steps * B, hidden = w1.shape[0]
        let du = dU.reserve(rows * hidden, zero: false)
        linearBackward(u, dLogits, rows: rows, w2, b2, dx: du)
        for i in 0..<(rows * hidden) where u[i] <= 0 { du[i] = 0 }
        let out = dh.reserve(rows * H, zero: false)
        linearBackward(h, du, rows: rows, w1, b1, dx: out)
        return out
    }
}
