import Foundation
import Studio

/// A one-line progress bar on stderr, drawn only when stderr is a terminal; silent otherwise.
/// Thread-safe: workers call `advance()` from any thread.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var done = 0
    /// Steps that cost nothing (kept tracks of a resumed playlist): counted as done, left
    /// out of the rate and the time left.
    private var free = 0
    private var lastDraw = 0.0
    private let started = Date()

    /// `plainLines`: when stderr is not a terminal, a plain line per step instead of nothing.
    private let plainLines: Bool

    init(total: Int, label: String, enabled: Bool = isatty(2) == 1, plainLines: Bool = false) {
        self.total = total
        self.label = label
        self.enabled = enabled && total > 1
        self.plainLines = plainLines
    }

    /// A step that was skipped, not worked (it does not speed up the rate).
    func skip() {
        lock.lock()
        free += 1
        lock.unlock()
        advance()
    }

    /// The steps per second of real work so far.
    func rate(_ elapsed: Double) -> Double { elapsed > 0 ? Double(done - free) / elapsed : 0 }

    func advance() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if plainLines {
            let elapsed = Date().timeIntervalSince(started)
            printError(String(format: "%@: %d/%d done, %.1f per minute", label, done, total, rate(max(elapsed, 1e-9)) * 60))
            return
        }
        guard enabled else { return }
        let now = Date().timeIntervalSince(started)
        if done == total || now - lastDraw > 0.1 {
            lastDraw = now
            draw(elapsed: now)
        }
    }

    private func draw(elapsed: Double) {
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let rate = rate(elapsed)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %@ %d/%d  %.0f/s  ETA %@", label, bar, done, total, rate, Self.clock(eta))
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line so that the next message starts clean.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    /// The bar as a Studio progress callback.
    var callback: ProgressCallback {
        { step in if case .skipped = step { self.skip() } else { self.advance() } }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
