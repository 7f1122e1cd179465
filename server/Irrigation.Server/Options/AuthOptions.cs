namespace Irrigation.Server.Options;

/// <summary>How failed sign-ins are slowed down and refused (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Auth";

    /// <summary>Failed attempts in a row (per source address, and per device or user id) answered without delay.</summary>
    public int FreeAttempts { get; set; } = 2;

    /// <summary>Failed attempts in a row after which attempts are refused (429 for users, 1008 for hellos).</summary>
    public int RefuseAfter { get; set; } = 10;

    /// <summary>The delay of the first slowed attempt; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay of one attempt.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long failures are remembered after the last one (and so how long a refusal lasts).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
