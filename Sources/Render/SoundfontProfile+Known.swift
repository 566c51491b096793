extension SoundfontProfile {
    /// The soundfonts the project knows, with their best lo-fi presets (read from each file's
    /// preset headers; see soundfonts/README.md).
    public static let known: [SoundfontProfile] = [fluidR3, timGM6mb, museScoreGeneral, blackPearl, redZeppelin]

    /// FluidR3_GM (Debian fluid-soundfont-gm).
    public static let fluidR3 = SoundfontProfile(
        name: "FluidR3_GM", fileMatch: "fluidr3",
        melodic: [4: Preset(8, 4),     // Detuned EP 1: chorused Rhodes
                  5: Preset(8, 5),     // Detuned EP 2
                  27: Preset(0, 26)],  // Jazz Guitar: rounder than Clean Guitar for a lead
        kits: [0: Preset(128, 0), 8: Preset(128, 8), 32: Preset(128, 32), 40: Preset(128, 40)])

    /// TimGM6mb (Debian timgm6mb-soundfont): small, plain General MIDI with a brush kit.
    public static let timGM6mb = SoundfontProfile(
        name: "TimGM6mb", fileMatch: "timgm6mb",
        melodic: [27: Preset(0, 26)],
        kits: [0: Preset(128, 0), 8: Preset(128, 8), 32: Preset(128, 32), 40: Preset(128, 40)])

    /// MuseScore General (Debian musescore-general-soundfont*).
    public static let museScoreGeneral = SoundfontProfile(
        name: "MuseScore General", fileMatch: "musescore_general",
        melodic: [0: Preset(8, 0),     // Mellow Grand Piano
                  4: Preset(8, 4),     // Detuned Tine EP
                  5: Preset(8, 5),     // Detuned FM EP
                  27: Preset(0, 26)],
        kits: [0: Preset(128, 0), 8: Preset(128, 8), 32: Preset(128, 32), 40: Preset(128, 40)])

    /// The AVL Drumkits (Debian avldrums.lv2-soundfont): one multi-sampled acoustic kit per
    /// file, bank 0 program 0, keys 36–61 close to General MIDI. Read from the sample names:
    /// 41/43 are the 16" floor tom (centre/edge), 45/47 the 12" tom (centre/edge), 48 a hat
    /// swish and 50 a crash choke, so General MIDI's toms are moved onto the two toms.
    static func avlKit(_ name: String, _ match: String) -> SoundfontProfile {
        SoundfontProfile(name: name, fileMatch: match, melodic: [:],
                         kits: [0: Preset(0, 0), 8: Preset(0, 0), 32: Preset(0, 0), 40: Preset(0, 0)],
                         drumNotes: [50: 45, 48: 45, 47: 47, 45: 41, 43: 41])
    }

    /// AVL Black Pearl: a warm, deep 4-piece (the calm styles' kit).
    public static let blackPearl = avlKit("AVL Black Pearl", "black_pearl")
    /// AVL Red Zeppelin: a brighter, punchier 4-piece (the bright and energetic styles' kit).
    public static let redZeppelin = avlKit("AVL Red Zeppelin", "red_zeppelin")
}
