namespace Irrigation.Server.Auth;

/// <summary>What <see cref="AuthThrottle"/> allows an attempt: refused outright, or checked after a delay.</summary>
public readonly record struct ThrottleDecision(bool Refused, TimeSpan Delay);
