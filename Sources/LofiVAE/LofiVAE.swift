/// Placeholder until the Lofi2Lofi module lands.
public enum LofiVAEModule {}
