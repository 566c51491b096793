import Crypto
import Foundation

/// A file's size and SHA-256: how a playlist knows its finished files are still intact.
public enum FileDigest {
    /// Size and SHA-256 of a file, read in 1 MiB pieces (a soundfont is 140 MB).
    public static func sha256(_ url: URL) -> (size: Int, digest: String)? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256(), size = 0
        while true {
            // nil or empty at the end of the file (Foundation gives either); a failed read throws.
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { return nil }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (size, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// Whether the files of `track` are all in `dir` with their recorded size and hash.
    public static func verify(_ track: PlaylistTrack, in dir: URL) -> Bool {
        for (kind, name) in track.files {
            guard let got = sha256(dir.appendingPathComponent(name)), got.size == track.sizes[kind], got.digest == track.sha256[kind] else { return false }
        }
        return !track.files.isEmpty
    }
}
