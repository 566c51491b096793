import COpenBLAS

/// The two BLAS operations the model needs, over raw row-major buffers.
enum BLAS {
    /// out[m×n] = x[m×k] · w[n×k]ᵀ (+ out when `accumulate`): a Linear layer's product,
    /// since PyTorch stores weights as [out, in].
    @inline(__always)
    static func linear(_ x: UnsafePointer<Float>, rows m: Int, inputs k: Int,
                       weight w: UnsafePointer<Float>, outputs n: Int,
                       into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        if m == 1 {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), 1, w, Int32(k), x, 1, accumulate ? 1 : 0, out, 1)
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1,
                        x, Int32(k), w, Int32(k), accumulate ? 1 : 0, out, Int32(n))
        }
    }

    /// Threads OpenBLAS may use; decoding small batches is fastest on one.
    static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
