import Foundation
import LofiVAE
import Theory

/// Latent vectors from JSON: one array of 100 numbers, or an array of them.
public enum LatentFile {
    public static func parse(_ data: Data) throws(StudioError) -> (vectors: [[Float]], single: Bool) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw StudioError("malformed JSON: " + Song.describeParseError(error, in: data))
        }
        guard let array = root as? [Any], !array.isEmpty else { throw StudioError("expected an array of 100 numbers or an array of such arrays") }
        if array.first is [Any] {
            var out: [[Float]] = []
            for (i, v) in array.enumerated() { out.append(try vector(v, "[\(i)]")) }
            return (out, false)
        }
        return ([try vector(array, "")], true)
    }

    static func vector(_ value: Any, _ path: String) throws(StudioError) -> [Float] {
        guard let list = value as? [Any] else { throw StudioError(path.isEmpty ? "latent" : path, "expected an array of numbers") }
        guard list.count == LatentSampler.dimension else {
            throw StudioError(path.isEmpty ? "latent" : path, "\(list.count) numbers; a latent vector has exactly 100")
        }
        var out: [Float] = []
        out.reserveCapacity(list.count)
        for (i, x) in list.enumerated() {
            guard let f = Song.jsonNumber(x) else { throw StudioError("\(path)[\(i)]", "expected a number") }
            guard f.isFinite, abs(f) < 1e6 else { throw StudioError("\(path)[\(i)]", "\(f) is not a finite number of sensible size") }
            out.append(Float(f))
        }
        return out
    }
}
