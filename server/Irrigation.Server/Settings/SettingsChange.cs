namespace Irrigation.Server.Settings;

/// <summary>The outcome of saving settings: the new version, every wrong field, or a stale base version.</summary>
/// <param name="Version">The version saved (Saved), or the current one (Conflict).</param>
/// <param name="Errors">Every wrong field, each starting with its path (Invalid).</param>
/// <param name="Conflict">True when the base version was not the current one any more.</param>
public sealed record SettingsChange(int Version, IReadOnlyList<string> Errors, bool Conflict = false)
{
    /// <summary>True when a new version was saved.</summary>
    public bool Saved => Errors.Count == 0 && !Conflict;
}
