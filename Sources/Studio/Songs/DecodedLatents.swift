import LofiVAE
import Theory

/// Songs decoded from given latent vectors (`decode`).
public enum DecodedLatents {
    public static func songs(_ vectors: [[Float]], model: LofiModel) throws(StudioError) -> [Song] {
        try model.studioSongs(for: vectors)
    }

    /// What `decode` prints or writes: one song, or an array of songs, as JSON text.
    public static func json(_ songs: [Song], single: Bool) -> String {
        single ? songs[0].jsonString() + "\n" : Song.jsonArray(songs)
    }
}
