import ArgumentParser
import Foundation
import LofiVAE

/// `--model PATH`, shared by the commands that decode.
struct ModelOption: ParsableArguments {
    @Option(help: "Model: a .safetensors file or the original PyTorch .pth. Default: the model bundled with lofi-render (MODEL.md).")
    var model: String?

    /// Loads the model (the bundled one by default) or exits with one clear line.
    func load(command: String) throws -> LofiModel {
        guard let model = model ?? LofiModel.bundledPath else {
            printError("\(command): the bundled model (lofi-render_LofiVAE.resources beside the executable) is missing; pass --model PATH or set LOFI_MODEL")
            throw ExitCode.failure
        }
        do {
            return try LofiModel(path: model)
        } catch {
            printError("\(command): \(model): \(error)")
            throw ExitCode.failure
        }
    }
}
