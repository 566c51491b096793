import COpenBLAS
import Foundation

/// What OpenBLAS must find in the environment when it loads, since it reads its settings
/// only then: the size of its thread pool, and the kernels to use where its own CPU
/// detection fell back to an old core.
public enum BLASEnvironment {
    /// The variables OpenBLAS sizes its thread pool from, in the order it reads them.
    static let poolSizeVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// The cores (as `openblas_get_corename` names them, lowercased) whose kernels use
    /// AVX-512, and those whose widest are AVX2 + FMA; any other core is SSE or AVX only.
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
    static let avx2Cores: Set<String> = ["haswell", "zen"]
    /// What SkylakeX's kernels use beyond AVX2, as /proc/cpuinfo names it.
    static let avx512Flags: Set<String> = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]

    /// The OpenBLAS core to ask for instead of `core` on a CPU with these instruction-set
    /// `flags` (as /proc/cpuinfo lists them), or nil when `core` already uses the widest
    /// vectors the CPU has: a core narrower than the CPU is raised to SkylakeX (AVX-512) or
    /// Haswell (AVX2 + FMA). OpenBLAS 0.3.21 falls back so on CPUs it does not recognise (it
    /// picked Prescott, a 2004 SSE3 core, on some Xeons). A core as wide as the CPU is never
    /// second-guessed.
    static func correction(for core: String, flags: Set<String>) -> String? {
        let core = core.lowercased()
        if avx512Cores.contains(core) { return nil }
        if flags.isSuperset(of: avx512Flags) { return "SkylakeX" }
        if avx2Cores.contains(core) { return nil }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The CPU's instruction-set flags from /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// The core whose kernels OpenBLAS runs, e.g. "SkylakeX".
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// One line for `--version`: the library, its kernels and its threads.
    public static var summary: String {
        let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
        let library = config.split(separator: " ").prefix(2).joined(separator: " ")
        let threads = openblas_get_num_threads()
        return "BLAS: \(library), core \(coreName), \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// Re-executes the program once with the settings OpenBLAS lacked when it loaded:
    /// - `OPENBLAS_NUM_THREADS=1` when nothing sized the pool. Left alone, the library starts
    ///   a thread per core as it loads, and the idle threads spin for a while before they
    ///   sleep (about 0.1 s of CPU a run); the project never uses them: every product runs on
    ///   one BLAS thread (small products are fastest that way, and the cores go to songs).
    /// - `OPENBLAS_CORETYPE` when OpenBLAS fell back to a core older than the CPU
    ///   (`correction(for:flags:)`) and the user did not choose one.
    /// Returns when nothing needed changing, or when the executable cannot be run again.
    public static func relaunchIfNeeded() {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        var set: [(String, String)] = []
        if !poolSizeVariables.contains(where: { environment[$0] != nil }) { set.append(("OPENBLAS_NUM_THREADS", "1")) }
        if environment["OPENBLAS_CORETYPE"] == nil, let core = correction(for: coreName, flags: cpuFlags()) {
            set.append(("OPENBLAS_CORETYPE", core))
        }
        guard !set.isEmpty else { return }
        for (name, value) in set { setenv(name, value, 1) }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: run on as loaded.
        for (name, _) in set { unsetenv(name) }
        #endif
    }
}
