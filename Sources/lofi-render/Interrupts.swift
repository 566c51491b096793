import Dispatch
import Foundation

/// Ctrl-C and SIGTERM handling: the signal is taken off the default (kill at once) and
/// handled on a dispatch queue, outside signal context, where it removes this process's
/// hidden partial files (`.<name>.partial-<pid>-…`) from the output folders, says so, and
/// exits 130. Finished outputs are never touched.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var folders: [String] = []
    private static let lock = NSLock()

    static func cleanOnInterrupt(_ folder: URL) {
        lock.lock()
        defer { lock.unlock() }
        if !folders.contains(folder.path) { folders.append(folder.path) }
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
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
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }
}
