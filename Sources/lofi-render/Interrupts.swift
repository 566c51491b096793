import Dispatch
import Foundation
import Studio

/// Ctrl-C and SIGTERM: the command's `Cancellation` knows the folders its work writes into;
/// on a signal (handled on a dispatch queue, outside signal context) this process's hidden
/// partial files there are removed, the user is told, and the process exits 130 at once.
/// Finished outputs are never touched.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let lock = NSLock()
    private static let queue = DispatchQueue(label: "lofi-render.interrupts")
    /// The one cancellation of this process's command.
    static let cancellation = Cancellation()

    /// The command's cancellation, with the signal handlers installed.
    static var token: Cancellation {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return cancellation }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            // Its own serial queue: that one is overcommitting and gets a thread even while the
            // work has every worker of the global queue busy (there the handler waited until
            // the work was done, and a Ctrl-C during `--mix` was never seen).
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                cancellation.cancel()
                PartialFiles.removeOwn(in: cancellation.folders)
                printError("interrupted; partial files removed")
                // Not exit(): atexit handlers would run while other threads are still inside
                // OpenBLAS or FluidSynth, which crashed `train` in five of eight tries.
                _exit(130)
            }
            source.resume()
            sources.append(source)
        }
        return cancellation
    }
}
