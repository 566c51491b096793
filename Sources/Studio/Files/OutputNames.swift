import Foundation

/// How outputs are numbered when one input gives several: `OUT-001.wav`, `OUT-002.wav`, …
public enum OutputNames {
    /// `n` zero-padded to the width of `count` (at least three digits).
    public static func number(_ n: Int, of count: Int) -> String {
        let s = String(n), width = max(3, String(count).count)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `url` itself for a single output, else `OUT-<number>.ext` beside it (`index` from 0).
    public static func numbered(_ url: URL, index: Int, of count: Int) -> URL {
        if count == 1 { return url }
        return URL(fileURLWithPath: "\(url.deletingPathExtension().path)-\(number(index + 1, of: count)).\(url.pathExtension)")
    }
}
