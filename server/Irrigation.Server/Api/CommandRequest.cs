using System.Text.Json;

namespace Irrigation.Server.Api;

/// <summary>
/// Body of POST /api/devices/{id}/irrigate (<c>{"zones":[...],"duration":600,"litres":1200}</c>: duration, litres or
/// both) and /stop (<c>{"zones":[...]}</c>). <see cref="Litres"/> is read as it came, so a fraction or a string gets
/// its own clear 400 instead of a bare binding failure.
/// </summary>
public sealed record CommandRequest(string[]? Zones, int? Duration, JsonElement? Litres = null)
{
    /// <summary>The volume in tenths of a litre (null when not given); false with a message when it is not a whole number.</summary>
    public bool TryGetLitres(out long? litres, out string? error)
    {
        (litres, error) = (null, null);
        if (Litres is not { ValueKind: not JsonValueKind.Null } element)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            litres = value;
            return true;
        }

        error = $"litres must be a whole number of tenths of a litre, above 0 (125 = 12.5 L), not {Shorten(element.GetRawText())}";
        return false;
    }

    private static string Shorten(string text) => text.Length > 32 ? text[..32] + "…" : text;
}
