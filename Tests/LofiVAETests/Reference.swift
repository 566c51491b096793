import Foundation
@testable import LofiVAE
import Theory

/// The shared reference material: checkpoint and golden decodes from the PyTorch reference.
enum Reference {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/reference")
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
