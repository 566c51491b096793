import Foundation
import Studio

/// How `lofi-render serve` runs: where it listens, the model it decodes with and the
/// audio it renders.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Decodes `/decode`, `/predict` and every song the server makes, with its melody sampling.
    public var model: LofiModel
    /// The audio options of `render` (soundfont, loudness, effects …) for every render.
    public var audio: AudioSettings

    /// Stations on air at once, at most.
    public var maxStations = 4
    /// Renders of `/api/render` at once, waiting at most, and per client a minute.
    public var renders = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var renderQueue = 8
    public var rendersPerMinute = 20
    /// How stations buffer, wait for listeners and crossfade.
    public var station = RadioStation.Settings()

    public init(model: LofiModel, audio: AudioSettings) {
        self.model = model
        self.audio = audio
    }
}
