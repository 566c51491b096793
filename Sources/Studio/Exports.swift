// One import for a front end: Studio's API speaks in the other modules' types (Song,
// LofiModel, AudioFormat, TrainingConfig), so `import Studio` brings them along.
@_exported import LofiVAE
@_exported import Render
@_exported import Theory
@_exported import Lyrics
