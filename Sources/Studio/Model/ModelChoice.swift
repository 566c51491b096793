import Foundation
import LofiVAE
import Theory

/// Which model decodes, and how its melodies are drawn: a file, or the bundled model.
public struct ModelChoice: Sendable {
    /// A `.safetensors` or original `.pth`; nil: the bundled model (or `$LOFI_MODEL`).
    public var path: String?
    /// Melody decoding; nil is argmax (the reference's).
    public var melody: MelodySampling?

    public init(path: String? = nil, melody: MelodySampling? = .lofi) {
        self.path = path
        self.melody = melody
    }

    /// The model, or one line naming the file and what is wrong with it.
    public func load() throws(StudioError) -> LofiModel {
        guard let model = path ?? LofiModel.bundledPath else {
            throw StudioError("the bundled model (lofi-render_LofiVAE.resources beside the executable) is missing; pass --model PATH or set LOFI_MODEL")
        }
        do { return try LofiModel(path: model, melody: melody) } catch { throw StudioError(model, "\(error)") }
    }

    /// How messages name a loaded model.
    public static func label(_ model: LofiModel) -> String {
        model.path == LofiModel.bundledPath ? "bundled model" : model.path
    }
}

extension LofiModel {
    /// `checkedSongs`, its failure naming the model.
    func studioSongs(for latents: [[Float]]) throws(StudioError) -> [Song] {
        do { return try checkedSongs(for: latents) } catch { throw StudioError(ModelChoice.label(self), "\(error)") }
    }
}
