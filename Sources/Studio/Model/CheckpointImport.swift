import Foundation
import LofiVAE

/// A PyTorch Lofi2Lofi decoder checkpoint (.pth) converted to safetensors. The pickle is
/// read without running it, and every tensor is checked against the decoder's shapes.
public enum CheckpointImport {
    public static func convert(_ input: String, to url: URL, force: Bool = false, cancellation: Cancellation? = nil) throws(StudioError) {
        let decoder: Lofi2LofiDecoder
        do { decoder = try Lofi2LofiDecoder(ModelFile.load(input)) } catch { throw StudioError(input, "\(error)") }
        if !force && FileManager.default.fileExists(atPath: url.path) { throw StudioError(url.relativePath, "already exists; pass --force to overwrite") }
        let bytes = Safetensors.encode(decoder.stateDict, metadata: ["format": "pt", "model": "lofi2lofi-decoder", "source": URL(fileURLWithPath: input).lastPathComponent])
        cancellation?.writes(into: url.deletingLastPathComponent())
        try AtomicFile.write(bytes, to: url)
    }
}
