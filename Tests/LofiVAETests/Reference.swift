import Foundation
@testable import LofiVAE
import Theory

/// The shared reference material: checkpoint and golden decodes from the PyTorch reference.
enum Reference {
    /// `shared/reference` beside the checkout (CI puts `shared/` next to the clone), found by
    /// walking up from this file; `LOFI_SHARED` overrides.
    static let shared: URL = {
        if let env = ProcessInfo.processInfo.environment["LOFI_SHARED"] {
            return URL(fileURLWithPath: env).appendingPathComponent("reference")
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/reference")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("golden_decode.json").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("shared/reference not found beside the checkout; set LOFI_SHARED to the shared folder")
    }()
    static var checkpointPath: String { shared.appendingPathComponent("lofi2lofi_decoder.pth").standardizedFileURL.path }

    struct Case {
        let z: [Float]
        let expected: Song
        let tempoRaw, energyRaw, valenceRaw: Float
        let chordLogitsFirst, melodyLogitsFirst: [Float]
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: shared.appendingPathComponent("golden_decode.json"))
        let list = try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return list.map { c in
            let expected = try! JSONSerialization.data(withJSONObject: c["expected"]!)
            func floats(_ k: String) -> [Float] { (c[k] as! [NSNumber]).map { $0.floatValue } }
            return Case(z: floats("z"), expected: try! Song.decode(expected),
                        tempoRaw: (c["tempo_raw"] as! NSNumber).floatValue, energyRaw: (c["energy_raw"] as! NSNumber).floatValue,
                        valenceRaw: (c["valence_raw"] as! NSNumber).floatValue,
                        chordLogitsFirst: floats("chord_logits_first"), melodyLogitsFirst: floats("melody_logits_first"))
        }
    }()

    static let decoder: Lofi2LofiDecoder = try! Lofi2LofiDecoder(ModelFile.load(checkpointPath))
}
