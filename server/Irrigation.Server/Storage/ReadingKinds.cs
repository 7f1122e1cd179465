using Irrigation.Core.Protocol;

namespace Irrigation.Server.Storage;

/// <summary>Maps between wire event names and <see cref="ReadingKind"/>.</summary>
public static class ReadingKinds
{
    /// <summary>Every reading kind, in the order the API lists them.</summary>
    public static readonly ReadingKind[] All = [ReadingKind.Temperature, ReadingKind.Humidity, ReadingKind.SoilMoisture];

    /// <summary>The reading kind of a wire event name, if it is a reading.</summary>
    public static bool TryParse(string? eventName, out ReadingKind kind)
    {
        switch (eventName)
        {
            case EventNames.Temperature: kind = ReadingKind.Temperature; return true;
            case EventNames.Humidity: kind = ReadingKind.Humidity; return true;
            case EventNames.SoilMoisture: kind = ReadingKind.SoilMoisture; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>The wire event name of a reading kind.</summary>
    public static string ToEventName(ReadingKind kind) => kind switch
    {
        ReadingKind.Temperature => EventNames.Temperature,
        ReadingKind.Humidity => EventNames.Humidity,
        ReadingKind.SoilMoisture => EventNames.SoilMoisture,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
