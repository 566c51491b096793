import ArgumentParser
import Foundation
import Studio

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
        try fail("import-checkpoint") {
            try CheckpointImport.convert(input, to: URL(fileURLWithPath: output), force: force, cancellation: Interrupts.token)
        }
    }
}
