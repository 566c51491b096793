import Foundation
import Render

/// The stations a server runs: found by tuning, started on first interest, at most
/// `maxStations` at once, each removed when it stops (idle for a while, or failed).
public final class RadioDial: @unchecked Sendable {
    public let model: LofiModel
    public let audio: AudioSettings
    public let soundfont: String
    public let maxStations: Int
    public let stationSettings: RadioStation.Settings
    private let lock = NSLock()
    private var stations: [StationTuning: RadioStation] = [:]

    public init(model: LofiModel, audio: AudioSettings, soundfont: String, maxStations: Int = 4,
                stationSettings: RadioStation.Settings = RadioStation.Settings()) {
        self.model = model
        self.audio = audio
        self.soundfont = soundfont
        self.maxStations = max(1, maxStations)
        self.stationSettings = stationSettings
    }

    /// Why a station cannot be had: too many run already.
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The running station of `tuning`, or a new one.
    public func station(_ tuning: StationTuning) throws(Busy) -> RadioStation {
        lock.lock()
        defer { lock.unlock() }
        if let s = stations[tuning], !s.isStopped { return s }
        stations = stations.filter { !$0.value.isStopped }
        guard stations.count < maxStations else {
            throw Busy(description: "\(maxStations) stations are on air, the most this server runs; try one of them or later")
        }
        // Each station renders on its own thread with its own synthesizers, one core each:
        // a station needs far less than real time, and others must not wait for it.
        let producer = TrackProducer(settings: audio, soundfont: soundfont, keepsSoundfont: true, workers: 1)
        let s = RadioStation(tuning: tuning, model: model, producer: producer, settings: stationSettings)
        s.onStop = { [weak self] stopped in self?.remove(stopped) }
        stations[tuning] = s
        return s
    }

    private func remove(_ station: RadioStation) {
        lock.withLock {
            if stations[station.tuning] === station { stations.removeValue(forKey: station.tuning) }
        }
    }

    public var onAir: [RadioStation] { lock.withLock { Array(stations.values) } }

    /// Stops every station (the server is shutting down).
    public func stopAll() {
        for s in onAir { s.stop() }
    }
}
