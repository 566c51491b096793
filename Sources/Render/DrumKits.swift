import Foundation

/// Where the drums come from: a soundfont of their own, the AVL acoustic kits, or the kit of
/// the instruments' soundfont.
public enum DrumKits: Sendable, Equatable {
    /// One soundfont for every song's drums (`--drum-soundfont`, `$LOFI_DRUM_SOUNDFONT`).
    case soundfont(String)
    /// The AVL Drumkits (Debian avldrums.lv2-soundfont): Black Pearl for the calm styles
    /// (brush and jazz kits), Red Zeppelin for the bright and energetic ones.
    case avl(blackPearl: String, redZeppelin: String)
    /// The General MIDI kit of the instruments' soundfont.
    case instrumentKit

    /// Debian's avldrums.lv2-soundfont files.
    public static let avlPaths = (blackPearl: "/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2",
                                  redZeppelin: "/usr/share/sounds/sf2/Red_Zeppelin_4_LV2.sf2")

    /// The drum soundfont for a song whose arrangement asks for General MIDI kit `kit`
    /// (40 brush, 32 jazz, 8 room, 0 standard); nil: the instruments' soundfont.
    public func soundfont(forKit kit: Int) -> String? {
        switch self {
        case .soundfont(let path): path
        case .avl(let pearl, let zeppelin): kit == 40 || kit == 32 ? pearl : zeppelin
        case .instrumentKit: nil
        }
    }

    /// Every file these kits may read.
    public var files: [String] {
        switch self {
        case .soundfont(let path): [path]
        case .avl(let pearl, let zeppelin): [pearl, zeppelin]
        case .instrumentKit: []
        }
    }

    /// The drums in this order: an explicit path (an unreadable one is an error), then
    /// `$LOFI_DRUM_SOUNDFONT` (likewise), then the AVL kits when installed, then the
    /// instruments' soundfont's kit.
    public static func locate(explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              avl: (blackPearl: String, redZeppelin: String) = avlPaths) throws(SoundfontLocator.NotFound) -> DrumKits {
        if let explicitPath {
            guard SoundfontLocator.readable(explicitPath) else { throw .init(looked: ["--drum-soundfont \(explicitPath) (not a readable file)"]) }
            return .soundfont(explicitPath)
        }
        if let env = environment["LOFI_DRUM_SOUNDFONT"], !env.isEmpty {
            guard SoundfontLocator.readable(env) else { throw .init(looked: ["LOFI_DRUM_SOUNDFONT=\(env) (not a readable file)"]) }
            return .soundfont(env)
        }
        if SoundfontLocator.readable(avl.blackPearl) && SoundfontLocator.readable(avl.redZeppelin) {
            return .avl(blackPearl: avl.blackPearl, redZeppelin: avl.redZeppelin)
        }
        return .instrumentKit
    }
}
