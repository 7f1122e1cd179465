using Irrigation.Core.Protocol;

namespace Irrigation.Server.Storage;

/// <summary>
/// The reading kinds as storage sees them: the shared core's table (<see cref="ReadingSpecs"/>), a
/// <see cref="ReadingKind"/> being a row's storage code. Nothing here lists kinds of its own.
/// </summary>
public static class ReadingKinds
{
    /// <summary>Every reading kind, in the order the API lists them.</summary>
    public static readonly ReadingKind[] All = ReadingSpecs.All.Select(s => (ReadingKind)s.Code).ToArray();

    /// <summary>The reading kind of a wire event name, if it is a reading.</summary>
    public static bool TryParse(string? eventName, out ReadingKind kind)
    {
        var spec = ReadingSpecs.Find(eventName);
        kind = spec is null ? default : (ReadingKind)spec.Code;
        return spec is not null;
    }

    /// <summary>The core's row of a reading kind.</summary>
    public static ReadingSpec Spec(ReadingKind kind) =>
        ReadingSpecs.FromCode((int)kind) ?? throw new ArgumentOutOfRangeException(nameof(kind));

    /// <summary>The wire event name of a reading kind.</summary>
    public static string ToEventName(ReadingKind kind) => Spec(kind).Name;
}
