import Foundation
import Theory

/// A loaded Lofi2Lofi decoder ready to turn latent vectors into songs.
public struct LofiModel: Sendable {
    public let decoder: Lofi2LofiDecoder
    public let engine: DecoderEngine
    public let path: String
    /// How melody notes are chosen; nil is the reference's argmax.
    public var melody: MelodySampling?

    /// The model this project trained (MODEL.md), shipped with the package: `$LOFI_MODEL`
    /// if set, else the resource folder SwiftPM puts beside the executable. Looked up by hand
    /// rather than through `Bundle.module`, whose Linux accessor stops the program when the
    /// folder is missing (a binary copied elsewhere); here that is a clear error instead.
    public static var bundledPath: String? {
        if let env = ProcessInfo.processInfo.environment["LOFI_MODEL"], !env.isEmpty { return env }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for dir in [exe, exe.deletingLastPathComponent()] {
            let path = dir.appendingPathComponent("lofi-render_LofiVAE.resources/lofi2lofi.safetensors").path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// Loads a `.safetensors` or PyTorch `.pth` checkpoint.
    public init(path: String, melody: MelodySampling? = nil) throws(CheckpointError) {
        decoder = try Lofi2LofiDecoder(ModelFile.load(path, only: Lofi2LofiDecoder.parameterNames))
        engine = DecoderEngine(decoder)
        self.path = path
        self.melody = melody
    }

    /// Encodes songs to their latent means z = μ with the model's encoder.
    public func encode(_ songs: [Song]) throws -> [[Float]] {
        BLAS.setThreads(1)
        return Self.latentMeans(try VAEParameters(loading: ModelFile.load(path)), TrainingBatch(songs))
    }

    /// μ of each song of `batch` under `params`, copied out of the encoder's buffer while
    /// the step that owns it is alive.
    static func latentMeans(_ params: VAEParameters, _ batch: TrainingBatch) -> [[Float]] {
        let step = VAEStep(params), hidden = params.shape.hidden
        return withExtendedLifetime(step) {
            let mu = step.encode(batch)
            return (0..<batch.size).map { Array(UnsafeBufferPointer(start: mu + $0 * hidden, count: hidden)) }
        }
    }

    /// Decodes latent vectors (100 finite values each) in batches, in order. Each batch is
    /// split across the cores, each part on single-threaded BLAS: the products here are too
    /// small for OpenBLAS's own threads, which spend more time waking than working.
    public func songs(for latents: [[Float]], batchSize: Int = 256) -> [Song] {
        BLAS.setThreads(1)
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var out: [Song] = []
        out.reserveCapacity(latents.count)
        var start = 0
        while start < latents.count {
            let chunk = Array(latents[start..<min(latents.count, start + batchSize)])
            let parts = min(cores, max(1, chunk.count / 16))
            let per = (chunk.count + parts - 1) / parts
            let pieces = (0..<parts).map { Array(chunk[min(chunk.count, $0 * per)..<min(chunk.count, ($0 + 1) * per)]) }
            let engine = self.engine, melody = self.melody
            let decoded = concurrentMap(pieces.count) { k -> [Song] in
                let piece = pieces[k]
                guard !piece.isEmpty else { return [] }
                let outs = engine.decode(Tensor(shape: [piece.count, LatentSampler.dimension], storage: piece.flatMap { $0 }), melody: melody)
                return zip(outs, piece).map { $0.song(latent: $1) }
            }
            out += decoded.flatMap { $0 }
            start += batchSize
        }
        return out
    }

    /// `songs(for:)`, with every song checked against the song rules before anyone arranges
    /// or writes it: finite weights can still overflow to a NaN tempo, which is no JSON.
    public func checkedSongs(for latents: [[Float]], batchSize: Int = 256) throws(InvalidDecodedSong) -> [Song] {
        let songs = self.songs(for: latents, batchSize: batchSize)
        for (i, s) in songs.enumerated() {
            let problems = s.problems()
            if !problems.isEmpty { throw InvalidDecodedSong(index: i, problems: problems) }
        }
        return songs
    }
}

/// A decoded song that breaks the song rules: the model, not the user's input, is at fault.
public struct InvalidDecodedSong: Error, Sendable, CustomStringConvertible {
    public let index: Int
    public let problems: [SongProblem]
    public var description: String {
        "the model decoded latent \(index + 1) to an invalid song (\(problems.map(\.description).joined(separator: "; "))); the model file is unusable"
    }
}
