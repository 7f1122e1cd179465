namespace Irrigation.Server.Auth;

/// <summary>Result of a bulk import: (device, token) per created device, or the first error (nothing created).</summary>
public sealed record ImportOutcome(IReadOnlyList<KeyValuePair<string, string>> Tokens, string? Error)
{
    /// <summary>True when every device was created.</summary>
    public bool Ok => Error is null;
}
