/// The General MIDI percussion keys the drummer plays on channel 10. A drum soundfont whose
/// kit puts a sound on another key maps it in its profile (Render's `SoundfontProfile`).
public enum DrumNote {
    public static let kick = 36
    public static let sideStick = 37
    public static let snare = 38
    public static let closedHat = 42
    public static let pedalHat = 44
    public static let openHat = 46
    public static let crash = 49
    public static let highTom = 50
    public static let midTom = 47
    public static let floorTom = 43

    /// Keys of the toms, high to low.
    public static let toms = [highTom, midTom, floorTom]
}
