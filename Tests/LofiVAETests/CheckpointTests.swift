import Foundation
import Testing
import TestScratch
@testable import LofiVAE

@Suite struct CheckpointTests {
    let scratch = ScratchSpace()
    func temp(_ name: String) -> URL { scratch.path("ckpt-\(name)") }

    @Test func importedSafetensorsDecodeTheGoldensToo() throws {
        let bytes = Safetensors.encode(Reference.decoder.stateDict)
        let url = temp("model.safetensors")
        try Data(bytes).write(to: url)
        let model = try LofiModel(path: url.path)
        let cases = Reference.cases
        let outs = model.engine.decode(Tensor(shape: [cases.count, 100], storage: cases.flatMap(\.z)))
        for (i, c) in cases.enumerated() { expectMatches(outs[i], c, "safetensors case \(i)") }
    }

    @Test func safetensorsRoundTrip() throws {
        let dict = StateDict([("b.weight", Tensor(shape: [2, 3], storage: [1, -2, 3.5, 0, .pi, -0.0])),
                              ("a.bias", Tensor(shape: [1], storage: [42])),
                              ("scalar", Tensor(shape: [], storage: [7]))])
        let bytes = Safetensors.encode(dict, metadata: ["model": "x"])
        let (back, meta) = try Safetensors.decode(bytes)
        #expect(meta["model"] == "x")
        #expect(Set(back.names) == Set(dict.names))
        for n in dict.names { #expect(back[n] == dict[n]) }
        // Independent reading of the layout: header length, JSON offsets, little-endian floats.
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect((8 + headerLength) % 8 == 0)
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as! [String: Any]
        let entry = header["b.weight"] as! [String: Any]
        #expect(entry["dtype"] as? String == "F32" && (entry["shape"] as? [Int]) == [2, 3])
        let start = 8 + headerLength + (entry["data_offsets"] as! [Int])[0]
        let third = UInt32(bytes[start + 8]) | UInt32(bytes[start + 9]) << 8 | UInt32(bytes[start + 10]) << 16 | UInt32(bytes[start + 11]) << 24
        #expect(Float(bitPattern: third) == 3.5)
    }

    @Test func truncatedSafetensorsIsTruncated() throws {
        let bytes = Safetensors.encode(Reference.decoder.stateDict)
        #expect {
            try Safetensors.decode(Array(bytes.prefix(bytes.count - 100)))
        } throws: { error in
            guard case .truncated = error as? CheckpointError else { return false }
            return true
        }
        #expect(throws: CheckpointError.self) { try Safetensors.decode(Array(bytes.prefix(5))) }
    }

    @Test func wrongShapeIsAShapeMismatch() throws {
        var dict = Reference.decoder.stateDict
        dict["key_linear.2.weight"] = Tensor(zeros: [11, 32])
        let (back, _) = try Safetensors.decode(Safetensors.encode(dict))
        #expect(throws: CheckpointError.shapeMismatch(name: "key_linear.2.weight", expected: [12, 32], found: [11, 32])) {
            try Lofi2LofiDecoder(back)
        }
        dict["key_linear.2.weight"] = nil
        #expect(throws: CheckpointError.missingTensor("key_linear.2.weight")) { try Lofi2LofiDecoder(dict) }
    }

    @Test func wrongDTypeIsUnsupported() throws {
        var bytes = Safetensors.encode(StateDict([("w", Tensor(shape: [2], storage: [1, 2]))]))
        // Rewrite "F32" as "F64" in the header (same length), as a float64 file would say.
        let text = String(decoding: bytes[8..<bytes.count], as: UTF8.self)
        let at = text.range(of: "F32")!.lowerBound.utf16Offset(in: text) + 8
        bytes[at + 1] = UInt8(ascii: "6"); bytes[at + 2] = UInt8(ascii: "4")
        #expect(throws: CheckpointError.unsupportedDType(name: "w", dtype: "F64")) { try Safetensors.decode(bytes) }
    }

    @Test func pthAndSafetensorsHoldTheSameTensors() throws {
        let pth = try ModelFile.load(Reference.checkpointPath)
        #expect(pth.names.count == 42)  // 5 heads·4 + 2 LSTMs·4 + 2 prediction heads·4 + 2 embeddings + 2 downsamples·2
        // Counted from the architecture (LOFI2LOFI.md; H = 100, H2 = 32, 9 chord and 15 note
        // tokens, 12 keys, 7 modes): two LSTM cells 2·(2·400·100 + 2·400), the embeddings
        // 9·100 + 15·100, the prediction heads (100·100 + 100) + (100·9 + 9) and
        // (100·100 + 100) + (100·15 + 15), the downsamples 200·100 + 100 and 300·100 + 100,
        // the key, mode, tempo, valence and energy heads 5·(100·32 + 32) + (32·12 + 12) +
        // (32·7 + 7) + 3·(32 + 1).
        #expect(pth.parameterCount == 161_600 + 2_400 + 22_624 + 50_200 + 16_160 + 396 + 231 + 99)
        #expect(pth.parameterCount == 253_710)
        let (st, _) = try Safetensors.decode(Safetensors.encode(pth))
        for n in pth.names { #expect(st[n] == pth[n]) }
    }
}
