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

    public static func decode(_ bytes: [UInt8]) throws(CheckpointError) -> (StateDict, [String: String]) {
        guard bytes.count >= 8 else { throw .truncated("\(bytes.count) bytes, shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw .truncated("header announces \(n) bytes but only \(bytes.count - 8) follow (a cut-off file, or not safetensors at all)")
        }
        let headerEnd = 8 + Int(n)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw .malformed("header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw .malformed("header is not a JSON object") }
        let dataLength = bytes.count - headerEnd
        var dict = StateDict()
        var metadata: [String: String] = [:]
        var spans: [(String, Int, Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                for (k, v) in (value as? [String: Any]) ?? [:] { metadata[k] = v as? String }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2
            else { throw .malformed("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw .unsupportedDType(name: name, dtype: dtype) }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw .malformed("entry '\(name)' has a negative dimension") }
            let count = shape.reduce(1, *)
            guard offsets[0] >= 0, offsets[1] - offsets[0] == count * 4 else {
                throw .malformed("entry '\(name)': offsets \(offsets) do not hold \(count) float32 values")
            }
            guard offsets[1] <= dataLength else {
                throw .truncated("tensor '\(name)' ends at byte \(offsets[1]) of the data, which has \(dataLength)")
            }
            spans.append((name, offsets[0], count))
            var storage = [Float](repeating: 0, count: count)
            storage.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + offsets[0])..<(headerEnd + offsets[1])]))
                }
            }
            dict[name] = Tensor(shape: shape, storage: storage)
        }
        // Names in file order, so that re-encoding keeps the layout.
        let ordered = StateDict(spans.sorted { $0.1 < $1.1 }.map { ($0.0, dict[$0.0]!) })
        return (ordered, metadata)
    }

    static func jsonString(_ s: String) -> String { Song.jsonQuote(s) }
}
