import Theory

/// What a station plays now and next (`/api/radio/now`).
public struct NowPlaying: Sendable, Codable, Equatable {
    public struct Track: Sendable, Codable, Equatable {
        public var title: String
        public var key: String
        public var mode: String
        public var bpm: Double
        public var energy: Double
        public var valence: Double
        /// The progression as a musician writes it in the song's key ("I", "vi", "IV", "V";
        /// "–" for a measure of rest).
        public var chords: [String]
        /// Seconds of the track (its crossfades included); nil until it is rendered.
        public var duration: Double?

        init(_ song: Song, duration: Double?) {
            let key = song.musicalKey
            title = song.displayTitle
            self.key = key.tonicName
            mode = key.mode.name
            bpm = song.bpm
            energy = song.energy
            valence = song.valence
            chords = song.progression.map { RomanNumeral($0)?.symbol(in: key) ?? "–" }
            self.duration = duration.map { ($0 * 1000).rounded() / 1000 }
        }
    }

    public var station: String
    public var playing: Track
    /// Seconds into the playing track, as a listener hears it.
    public var seconds: Double
    public var next: Track?
    public var listeners: Int
}
