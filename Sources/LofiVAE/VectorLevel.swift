import CLofiMath

/// The vector width the LSTM kernels run at, chosen once per process from the CPU:
/// AVX-512F, AVX2 or the x86-64 baseline (SSE2). Every level gives the same bits (the
/// kernels round each operation as the baseline does and never fuse a multiply-add), so
/// the choice changes speed only. `$LOFI_VECTOR=baseline|avx2|avx512` lowers it, for
/// benchmarks.
public enum VectorLevel {
    /// The level in use.
    public static var current: Int32 { lofi_math_level() }

    /// The highest level this CPU runs.
    public static var best: Int32 { lofi_math_best_level() }

    /// "LSTM kernels: AVX2" (with the CPU's best when `$LOFI_VECTOR` chose a lower one).
    public static var summary: String {
        let line = "LSTM kernels: \(name(current))"
        return current == best ? line : line + " (this CPU runs \(name(best)); lowered by LOFI_VECTOR)"
    }

    /// A name for `--version`: "AVX-512F", "AVX2" or "baseline (SSE2)".
    public static func name(_ level: Int32) -> String { String(cString: lofi_math_level_name(level)) }
}
