import Theory

/// Readable titles for sampled songs ("Amber Streetlights", "Slow Tuesday Rain"), made from
/// the song's mood, mode and tempo with word lists written for this project, drawn from a
/// generator seeded by the plan's seed and the song's hash title, and unique within a plan
/// (a repeat draws again, and after 32 draws gets a numeral: "Faded Neon II").
/// The model's hash title stays in the song as `id`.
public enum TrackTitle {
    static let brightWords = ["Amber", "Golden", "Honey", "Sunlit", "Velvet", "Peach", "Citrus", "Lucky", "Warm", "Easy",
                              "Bright", "Tangerine", "Sugar", "Daydream", "Pastel", "Cozy", "Gentle", "Lavender"]
    static let darkWords = ["Faded", "Grey", "Blue", "Hazy", "Distant", "Quiet", "Lonely", "Misty", "Pale", "Cold",
                            "Hollow", "Silent", "Dim", "Rainy", "Overcast", "Empty", "Forgotten", "Smoky"]
    static let livelyThings = ["Streetlights", "Neon", "Skateboards", "Traffic", "Rooftops", "Trains", "Arcade", "Boulevard",
                               "Headlights", "Sparks", "Subway", "Crosswalks", "Taxis", "Fireflies", "Bicycles", "Vinyl"]
    static let stillThings = ["Rain", "Pillows", "Tea", "Windows", "Curtains", "Snowfall", "Letters", "Polaroids", "Candles",
                              "Moss", "Lanterns", "Clouds", "Blankets", "Houseplants", "Puddles", "Bookshelves"]
    static let times = ["Tuesday", "Sunday", "Morning", "Evening", "Midnight", "Autumn", "October", "December", "Dusk",
                        "Dawn", "Afternoon", "Winter", "Saturday", "Springtime", "Twilight", "Monday"]
    static let seasons = ["Autumn", "October", "December", "Winter", "Springtime", "July", "November", "Summer"]
    static let hours = ["Dusk", "Dawn", "Midnight", "Twilight", "Noon", "Closing Time", "Sunrise", "Last Call"]
    static let slowWords = ["Slow", "Lazy", "Drowsy", "Sleepy", "Still", "Unhurried"]
    static let quickWords = ["Restless", "Running", "Quick", "Wandering", "Busy", "Late"]

    /// One title for a song; `rng` gives the choices.
    static func draw(for song: Song, rng: inout SplitMix64) -> String {
        // Ionian, Lydian, Mixolydian are bright; the minor modes lean dark unless the mood is high.
        let brightMode = [1, 4, 5].contains(song.mode)
        let bright = song.valence + (brightMode ? 0.15 : -0.15) >= 0.5
        let mood = bright ? brightWords : darkWords
        let things = song.energy >= 0.5 ? livelyThings : stillThings
        let pace = song.bpm < 80 ? slowWords : quickWords
        func pick(_ list: [String]) -> String { list[rng.int(in: 0...(list.count - 1))] }
        switch rng.int(in: 0...4) {
        case 0: return "\(pick(mood)) \(pick(things))"
        case 1: return "\(pick(times)) \(pick(things))"
        case 2: return "\(pick(pace)) \(pick(times)) \(pick(things))"
        case 3: return "\(pick(mood)) \(pick(times))"
        default: return rng.int(in: 0...1) == 0 ? "\(pick(things)) in \(pick(seasons))" : "\(pick(things)) at \(pick(hours))"
        }
    }

    /// Gives every entry of a plan a readable title, keeping its hash title as `id`.
    public static func assign(to plan: inout SongPlan, seed: UInt64) {
        var taken: Set<String> = []
        for i in plan.entries.indices { retitle(&plan.entries[i].song, seed: seed, taken: &taken) }
    }

    /// Gives `song` a readable title not in `taken` (and adds it there), keeping its hash
    /// title as `id`: a plan's titles, or a radio station's recent ones.
    public static func retitle(_ song: inout Song, seed: UInt64, taken: inout Set<String>) {
        let hash = song.id ?? song.title ?? ""
        var rng = SplitMix64(seed: seed ^ fnv1a64(hash.utf8) ^ 0x7469_746C_6573)   // "titles"
        var title = draw(for: song, rng: &rng)
        var tries = 1
        while taken.contains(title) && tries < 32 { title = draw(for: song, rng: &rng); tries += 1 }
        if taken.contains(title) {
            let base = title
            var n = 2
            while taken.contains(title) { title = "\(base) \(romanNumeral(n))"; n += 1 }
        }
        taken.insert(title)
        song.id = hash.isEmpty ? nil : hash
        song.title = title
    }

    static func romanNumeral(_ n: Int) -> String {
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, s = ""
        for (v, r) in table { while n >= v { s += r; n -= v } }
        return s
    }
}
