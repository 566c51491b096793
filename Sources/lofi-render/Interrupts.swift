import Dispatch
import Foundation

/// Ctrl-C and SIGTERM handling: the signal is taken off the default (kill at once) and
/// handled on a dispatch queue, outside signal context, where it removes this process's
/// hidden partial files (`.<name>.partial-<pid>-…`) from the output folders, says so, and
/// exits 130. Finished outputs are never touched. Registering a folder also removes the
/// partial files that killed or crashed runs left there.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var folders: [String] = []
    private static let lock = NSLock()
    private static let queue = DispatchQueue(label: "lofi-render.interrupts")

    static func cleanOnInterrupt(_ folder: URL) {
        lock.lock()
        defer { lock.unlock() }
        if !folders.contains(folder.path) {
            folders.append(folder.path)
            PartialFiles.removeDead(in: folder)
        }
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            // Its own serial queue: that one is overcommitting and gets a thread even while the
            // work has every worker of the global queue busy (there the handler waited until
            // the work was done, and a Ctrl-C during `--mix` was never seen).
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                let marker = ".partial-\(getpid())-"
                lock.lock()
                let dirs = folders
                lock.unlock()
                for dir in dirs {
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") && name.contains(marker) {
                        unlink(dir + "/" + name)
                    }
                }
                printError("interrupted; partial files removed")
                // Not exit(): atexit handlers would run while other threads are still inside
                // OpenBLAS or FluidSynth, which crashed `train` in five of eight tries.
                _exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// The hidden partial files of `AtomicFile` and the audio writer: `.<name>.partial-<pid>-…`.
enum PartialFiles {
    /// Removes those left by processes that no longer exist (killed mid-write); a live
    /// process's files are left alone.
    static func removeDead(in dir: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(".") {
            guard let r = name.range(of: ".partial-"), let pid = Int32(name[r.upperBound...].prefix { $0.isNumber }), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir.appendingPathComponent(name).path) }
        }
    }
}
