import Foundation
import Theory

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping
/// each tensor name to dtype, shape and byte offsets, then the raw little-endian data.
/// Only F32 tensors are read and written (the model is float32 throughout).
public enum Safetensors {
    public static func encode(_ dict: StateDict, metadata: [String: String] = [:]) -> [UInt8] {
        let names = dict.names.sorted()
        var header: [String] = []
        var offset = 0
        for name in names {
            let t = dict[name]!
            let end = offset + t.count * 4
            header.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
            header.insert("\"__metadata__\":{\(m)}", at: 0)
        }
        var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        // Pad with spaces so that the data starts 8-byte aligned, as the format recommends.
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + offset)
        var n = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &n) { out += $0 }
        out += json
        for name in names {
            dict[name]!.storage.withUnsafeBytes { raw in
                // Float storage is little-endian on every platform Swift runs on here.
                out += raw
            }
        }
        return out
    }

    /// Reads the file's tensors (only those named in `only`, when given). Every number of
    /// the header is checked before use: dimensions and offsets must be integers in range,
    /// their arithmetic may not overflow, and the spans must tile the data in order with no
    /// gap or overlap (as the format requires), so no tensor is read twice.
    public static func decode(_ bytes: [UInt8], only: Set<String>? = nil) throws(CheckpointError) -> (StateDict, [String: String]) {
        guard bytes.count >= 8 else { throw .truncated("\(bytes.count) bytes, shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw .truncated("header announces \(n) bytes but only \(bytes.count - 8) follow (a cut-off file, or not safetensors at all)")
        }
        guard n <= 100_000_000 else { throw .malformed("header of \(n) bytes (the format allows 100 MB)") }
        let headerEnd = 8 + Int(n)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw .malformed("header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw .malformed("header is not a JSON object") }
        let dataLength = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], start: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                for (k, v) in (value as? [String: Any]) ?? [:] { metadata[k] = v as? String }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any],
                  offsetValues.count == 2
            else { throw .malformed("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw .unsupportedDType(name: name, dtype: dtype) }
            guard shapeValues.count <= 8 else { throw .malformed("entry '\(name)' has \(shapeValues.count) dimensions") }
            var shape: [Int] = []
            for v in shapeValues {
                guard let d = integer(v, upTo: dataLength / 4) else {
                    throw .malformed("entry '\(name)': dimension \(v) is not an integer from 0 to \(dataLength / 4)")
                }
                shape.append(d)
            }
            guard let start = integer(offsetValues[0], upTo: dataLength), let end = integer(offsetValues[1], upTo: dataLength) else {
                throw .truncated("entry '\(name)': data_offsets \(offsetValues) are not integers within the \(dataLength) data bytes")
            }
            var count = 1
            for d in shape {
                let (p, over) = count.multipliedReportingOverflow(by: d)
                guard !over, p <= dataLength / 4 else { throw .malformed("entry '\(name)' of shape \(shape) is larger than the file") }
                count = p
            }
            guard start <= end, end - start == count * 4 else {
                throw .malformed("entry '\(name)': offsets [\(start), \(end)] do not hold \(count) float32 values")
            }
            entries.append((name, shape, start, end))
        }
        // In file order; each span must begin where the previous one ended.
        entries.sort { ($0.start, $0.end, $0.name) < ($1.start, $1.end, $1.name) }
        var expected = 0
        for e in entries {
            guard e.start == expected else {
                throw .malformed(e.start < expected ? "tensor '\(e.name)' overlaps the tensor before it (bytes \(e.start)–\(e.end))"
                                                     : "a gap of \(e.start - expected) bytes before tensor '\(e.name)'")
            }
            expected = e.end
        }
        guard expected == dataLength else { throw .malformed("\(dataLength - expected) bytes after the last tensor") }
        var dict = StateDict()
        for e in entries where only?.contains(e.name) ?? true {
            var storage = [Float](repeating: 0, count: (e.end - e.start) / 4)
            storage.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + e.start)..<(headerEnd + e.end)]))
                }
            }
            dict[e.name] = Tensor(shape: e.shape, storage: storage)
        }
        return (dict, metadata)
    }

    /// A JSON number that is an integer in 0...limit (1e300, 2.5, -1 and strings are not).
    static func integer(_ v: Any, upTo limit: Int) -> Int? {
        guard let number = v as? NSNumber else { return nil }
        let d = number.doubleValue
        // `limit` is at most the file's size, far below 2⁵³, so the double is exact here.
        guard d.isFinite, d >= 0, d <= Double(limit), d == d.rounded(.towardZero) else { return nil }
        return Int(d)
    }

    static func jsonString(_ s: String) -> String { Song.jsonQuote(s) }
}
