extension DrumPattern {
    /// Grooves per energy band (low, middle, high). Most play sixteenth hats, as lo-fi hats
    /// mostly are; kicks lean on the and of 2 and the a of 3 as boom-bap does.
    static let byEnergy: [[DrumPattern]] = [
        [DrumPattern(kick: "x.........x.....", snare: "....x.......x...", snareNote: DrumNote.sideStick,
                     ghosts: ".......x......x.", hats: "x.x.x.x.x.x.x.x.", openHat: "................"),
         DrumPattern(kick: "x.......x.......", snare: "....x.......x...", snareNote: DrumNote.sideStick,
                     ghosts: "...........x...x", hats: "xxxxxxxxxxxxxxxx", openHat: "................")],
        [DrumPattern(kick: "x.....x...x.....", snare: "....x.......x...",
                     ghosts: ".......x.x....x.", hats: "xxxxxxxxxxxxxxxx", openHat: "..............x."),
         DrumPattern(kick: "x.........x..x..", snare: "....x.......x...",
                     ghosts: "...x...x......x.", hats: "xxxxxxxxxxxxxxxx", openHat: "..............x.")],
        [DrumPattern(kick: "x.....x.xx......", snare: "....x.......x...",
                     ghosts: ".x.....x.....x.x", hats: "xxxxxxxxxxxxxxxx", openHat: "..............x."),
         DrumPattern(kick: "x.x.......x..x..", snare: "....x.......x...",
                     ghosts: ".......x..x...xx", hats: "xxxxxxxxxxxxxxxx", openHat: "......x.......x.")],
    ]
}

extension DrumFillPattern {
    /// Fills, picked by the seed: a snare run, a tom run down the kit, snare and toms mixed,
    /// and a drop-out with a snare pickup.
    static let fills: [DrumFillPattern] = [
        DrumFillPattern([(8, DrumNote.kick, 0), (8, DrumNote.snare, -30), (9, DrumNote.snare, -26), (10, DrumNote.snare, -20),
                         (11, DrumNote.snare, -16), (12, DrumNote.snare, -10), (13, DrumNote.snare, -6), (14, DrumNote.snare, -2), (15, DrumNote.snare, 2)]),
        DrumFillPattern([(8, DrumNote.kick, 0), (8, DrumNote.highTom, -8), (10, DrumNote.highTom, -10), (11, DrumNote.midTom, -8),
                         (12, DrumNote.kick, -4), (12, DrumNote.midTom, -4), (14, DrumNote.floorTom, 0), (15, DrumNote.floorTom, 2)]),
        DrumFillPattern([(8, DrumNote.snare, -6), (10, DrumNote.snare, -12), (11, DrumNote.highTom, -8), (12, DrumNote.midTom, -4),
                         (13, DrumNote.midTom, -8), (14, DrumNote.floorTom, 0), (15, DrumNote.snare, 0)]),
        DrumFillPattern([(12, DrumNote.snare, -4), (14, DrumNote.snare, -8), (15, DrumNote.snare, 0)]),
    ]
}
