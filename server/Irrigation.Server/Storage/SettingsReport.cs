namespace Irrigation.Server.Storage;

/// <summary>What a device's controller said about its settings.</summary>
/// <param name="RunningVersion">The version it runs (0: only the board's file), from hello or settings_applied.</param>
/// <param name="RejectedVersion">The last version it refused (0: none).</param>
/// <param name="ErrorsJson">That refusal's errors, a JSON array of strings.</param>
public sealed record SettingsReport(int RunningVersion, int RejectedVersion, string ErrorsJson);
