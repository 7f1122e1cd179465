namespace Irrigation.Server.Auth;

/// <summary>
/// Tells this process's live connections that tokens, members or accounts changed, so they are checked at once
/// instead of at the next poll (changes made by the CLI or another instance are found by polling).
/// </summary>
public sealed class CredentialChanges
{
    /// <summary>Raised after a change was committed.</summary>
    public event Action? Changed;

    /// <summary>Announces a committed change.</summary>
    public void Notify() => Changed?.Invoke();
}
