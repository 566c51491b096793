import ArgumentParser
import Foundation
import LofiVAE

/// `--model PATH`, shared by the commands that decode.
struct ModelOption: ParsableArguments {
    @Option(help: "Decoder checkpoint: the project's .safetensors or the original PyTorch .pth.")
    var model: String?

    /// Loads the model or exits with one clear line.
    func load(command: String) throws -> LofiModel {
        guard let model else {
            printError("\(command): no model given; pass --model PATH (a .safetensors file or the original lofi2lofi_decoder.pth). A bundled model arrives with the training issue.")
            throw ExitCode.validationFailure
        }
        do {
            return try LofiModel(path: model)
        } catch {
            printError("\(command): \(model): \(error)")
            throw ExitCode.failure
        }
    }
}
