/// The file names of a playlist's tracks: "007 - Title.wav", ".json", ".mid".
public enum PlaylistNames {
    /// "007 - ": the start of every file name of track `number` (from 1) of `count`.
    public static func prefix(_ number: Int, count: Int) -> String {
        OutputNames.number(number, of: count) + " - "
    }

    /// "007 - Title" with characters file systems dislike replaced.
    public static func base(_ entry: SongPlan.Entry, count: Int) -> String {
        let title = entry.song.displayTitle.map { "/\\:*?\"<>|".contains($0) || $0.isNewline ? "_" : $0 }
        return prefix(entry.index + 1, count: count) + String(title).prefix(80)
    }
}
