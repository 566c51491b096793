import Foundation

/// What OpenBLAS must find in the environment when it loads, since it reads its settings
/// only then.
public enum BLASEnvironment {
    /// The variables OpenBLAS sizes its thread pool from, in the order it reads them.
    static let poolSizeVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// Re-executes the program once with `OPENBLAS_NUM_THREADS=1` when nothing sized
    /// OpenBLAS's thread pool. Left alone, the library starts a thread per core as it loads,
    /// and the idle threads spin for a while before they sleep (about 0.1 s of CPU a run);
    /// the project never uses them: every product runs on one BLAS thread (small products
    /// are fastest that way, and the cores go to songs). Returns when no re-execution
    /// happened (already set, or the executable cannot be found).
    public static func relaunchIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard !poolSizeVariables.contains(where: { environment[$0] != nil }) else { return }
        #if os(Linux)
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: run on, with the pool as it is.
        unsetenv("OPENBLAS_NUM_THREADS")
        #endif
    }
}
