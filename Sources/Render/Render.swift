/// Placeholder until the render module lands.
public enum RenderModule {}
