namespace Irrigation.Server.Auth;

/// <summary>Result of a provisioning call: the new token, or a message saying what to fix.</summary>
public sealed record ProvisioningOutcome(string? Token, string? Error)
{
    /// <summary>True when a token was issued.</summary>
    public bool Ok => Error is null;

    internal static ProvisioningOutcome Success(string token) => new(token, null);

    internal static ProvisioningOutcome Failure(string error) => new(null, error);
}
