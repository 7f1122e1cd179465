namespace Irrigation.Server.Water;

/// <summary>
/// Local days and weeks of a time zone as Unix instants, DST-correct: a day is from one local midnight to the next
/// (23 or 25 hours on a change day), a week from Monday 00:00 to the next.
/// </summary>
public static class LocalCalendar
{
    /// <summary>The local date of an instant in <paramref name="zone"/>.</summary>
    public static DateOnly DateOf(long unixSeconds, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone).DateTime);

    /// <summary>The Monday of the week of <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>
    /// The instant the local <paramref name="date"/> begins: its midnight, or where a clock change skips midnight
    /// (some zones change at 00:00), the first local time that exists; where midnight happens twice, the first.
    /// </summary>
    public static long StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Clock changes skip at most a few hours; a minute is the finest step any zone uses.
        for (var minutes = 0; zone.IsInvalidTime(local) && minutes < 24 * 60; minutes++)
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeSeconds();
    }
}
