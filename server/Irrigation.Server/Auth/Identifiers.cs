using System.Text.RegularExpressions;

namespace Irrigation.Server.Auth;

/// <summary>What user ids, device ids and zone names may look like (they appear in URLs, CSV and log lines).</summary>
public static partial class Identifiers
{
    /// <summary>Rule shown in error messages for ids.</summary>
    public const string IdRule = "1-64 characters: letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>Rule shown in error messages for zone names.</summary>
    public const string ZoneRule = "1-32 characters: letters, digits, '-' or '_'";

    /// <summary>True for a valid user or device id.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>True for a valid zone name.</summary>
    public static bool IsValidZone(string? zone) => zone is not null && ZonePattern().IsMatch(zone);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex ZonePattern();
}
