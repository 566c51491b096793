import ArgumentParser
import Foundation
import Studio

/// `--model PATH` and the melody decoding, shared by the commands that decode.
struct ModelOption: ParsableArguments {
    @Option(help: "Model: a .safetensors file or the original PyTorch .pth. Default: the model bundled with lofi-render (MODEL.md).")
    var model: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Melody temperature: 0 takes the most likely note every slot (the reference's argmax decoding); higher draws freer melodies.", valueName: "t"))
    var melodyTemperature = MelodySampling.lofi.temperature

    @Option(parsing: .unconditional, help: ArgumentHelp("Melody nucleus: draw only from the most likely notes that together hold this share of the probability.", valueName: "p"))
    var melodyTopP = MelodySampling.lofi.topP

    @Option(parsing: .unconditional, help: ArgumentHelp("Added to the log-odds of the chord's triad tones on the beats (0: none).", valueName: "b"))
    var chordToneBias = MelodySampling.lofi.chordToneBias

    /// The melody decoding asked for; nil is argmax.
    var melody: MelodySampling? {
        melodyTemperature == 0 ? nil : MelodySampling(temperature: melodyTemperature, topP: melodyTopP, chordToneBias: chordToneBias)
    }

    var choice: ModelChoice { ModelChoice(path: model, melody: melody) }

    func validate() throws {
        guard melodyTemperature.isFinite, (0...5).contains(melodyTemperature) else { throw ValidationError("--melody-temperature must be in 0...5") }
        guard melodyTopP > 0, melodyTopP <= 1 else { throw ValidationError("--melody-top-p must be in (0, 1]") }
        guard chordToneBias.isFinite, (0...10).contains(chordToneBias) else { throw ValidationError("--chord-tone-bias must be in 0...10") }
    }

    /// Loads the model (the bundled one by default) or exits with one clear line.
    func load(command: String) throws -> LofiModel {
        try fail(command) { try choice.load() }
    }
}

/// Runs `body`; an error becomes the command's one line on stderr and exit status 1.
func fail<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ExitCode {
        throw e
    } catch {
        printError("\(command): \(error)")
        throw ExitCode.failure
    }
}
