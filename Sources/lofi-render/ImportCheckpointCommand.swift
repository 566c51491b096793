import ArgumentParser
import Foundation
import LofiVAE

struct ImportCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-checkpoint",
        abstract: "Convert a PyTorch Lofi2Lofi decoder checkpoint (.pth) to safetensors.",
        discussion: """
            Reads the zip checkpoint without running it: only the pickle opcodes and the three \
            globals a state dict of float tensors needs (collections.OrderedDict, \
            torch._utils._rebuild_tensor_v2, torch.FloatStorage) are understood; anything else \
            is refused. Every tensor is checked against the decoder's shapes before writing.
            """)

    @Argument(help: "The .pth checkpoint.")
    var input: String

    @Option(name: .shortAndLong, help: "Output .safetensors file.")
    var output: String

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    func run() throws {
        let decoder: Lofi2LofiDecoder
        do { decoder = try Lofi2LofiDecoder(ModelFile.load(input)) } catch {
            printError("import-checkpoint: \(input): \(error)")
            throw ExitCode.failure
        }
        let url = URL(fileURLWithPath: output)
        if !force && FileManager.default.fileExists(atPath: url.path) {
            printError("import-checkpoint: \(output): already exists; pass --force to overwrite")
            throw ExitCode.failure
        }
        let bytes = Safetensors.encode(decoder.stateDict, metadata: ["format": "pt", "model": "lofi2lofi-decoder", "source": URL(fileURLWithPath: input).lastPathComponent])
        Interrupts.cleanOnInterrupt(url.deletingLastPathComponent())
        do { try AtomicFile.write(bytes, to: url) } catch {
            printError("import-checkpoint: \(error)")
            throw ExitCode.failure
        }
    }
}
