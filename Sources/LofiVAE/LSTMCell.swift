import Foundation

/// PyTorch's LSTMCell: gates `W_ih x + b_ih + W_hh h + b_hh` split into input, forget,
/// cell and output blocks. Parameters `<name>.weight_ih`, `.weight_hh`, `.bias_ih`, `.bias_hh`.
public struct LSTMCell: Sendable {
    public var weightIH: Tensor
    public var weightHH: Tensor
    public var biasIH: Tensor
    public var biasHH: Tensor

    public var hidden: Int { weightHH.shape[1] }
    public var inputs: Int { weightIH.shape[1] }

    public init(_ params: StateDict, _ name: String, inputs: Int, hidden: Int) throws(CheckpointError) {
        weightIH = try params.tensor("\(name).weight_ih", shape: [4 * hidden, inputs])
        weightHH = try params.tensor("\(name).weight_hh", shape: [4 * hidden, hidden])
        biasIH = try params.tensor("\(name).bias_ih", shape: [4 * hidden])
        biasHH = try params.tensor("\(name).bias_hh", shape: [4 * hidden])
    }

    /// One step for a batch: x [B, in], h and c [B, H] → (h', c').
    public func callAsFunction(_ x: Tensor, _ h: Tensor, _ c: Tensor) -> (h: Tensor, c: Tensor) {
        let gates = Linear(weight: weightIH, bias: biasIH)(x).storage
        let recurrent = Linear(weight: weightHH, bias: biasHH)(h).storage
        var g = zip(gates, recurrent).map { $0 + $1 }
        var hOut = [Float](repeating: 0, count: h.count)
        var cOut = [Float](repeating: 0, count: c.count)
        g.withUnsafeMutableBufferPointer { gp in
            c.storage.withUnsafeBufferPointer { cp in
                hOut.withUnsafeMutableBufferPointer { hp in
                    cOut.withUnsafeMutableBufferPointer { cop in
                        LSTMCell.pointwise(gates: gp.baseAddress!, c: cp.baseAddress!, hOut: hp.baseAddress!, cOut: cop.baseAddress!,
                                           rows: x.rows, hidden: hidden)
                    }
                }
            }
        }
        return (Tensor(shape: h.shape, storage: hOut), Tensor(shape: c.shape, storage: cOut))
    }

    /// The gate nonlinearities and state update for `rows` rows of 4H pre-activations.
    @inline(__always)
    static func pointwise(gates g: UnsafePointer<Float>, c: UnsafePointer<Float>,
                          hOut: UnsafeMutablePointer<Float>, cOut: UnsafeMutablePointer<Float>, rows: Int, hidden H: Int) {
        for r in 0..<rows {
            let gr = g + r * 4 * H
            for j in 0..<H {
                let i = sigmoid(gr[j])
                let f = sigmoid(gr[H + j])
                let cc = tanhf(gr[2 * H + j])
                let o = sigmoid(gr[3 * H + j])
                let cNew = f * c[r * H + j] + i * cc
                cOut[r * H + j] = cNew
                hOut[r * H + j] = o * tanhf(cNew)
            }
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}
