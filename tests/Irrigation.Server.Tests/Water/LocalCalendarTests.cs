using Irrigation.Server.Water;

namespace Irrigation.Server.Tests.Water;

/// <summary>Local days of real time zones, on the days their clocks change.</summary>
public class LocalCalendarTests
{
    [Theory]
    // Berlin: spring forward at 02:00 (a 23-hour day), fall back at 03:00 (25 hours); midnight is plain on both.
    [InlineData("Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", 23)]
    [InlineData("Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", 25)]
    // Santiago springs forward at 24:00: midnight of 6 September 2026 does not exist, the day starts at 01:00 (-03).
    [InlineData("America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z", 23)]
    // Havana falls back at 01:00 to 00:00: midnight of 1 November 2026 happens twice, the day starts at the first.
    [InlineData("America/Havana", "2026-11-01", "2026-11-01T04:00:00Z", 25)]
    [InlineData("UTC", "2026-06-01", "2026-06-01T00:00:00Z", 24)]
    public void StartOf_ClockChangeDays_FirstInstantOfTheLocalDateAndTheDaysLength(string zoneId, string date, string expectedUtc, int hours)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        var start = LocalCalendar.StartOf(day, zone);
        var next = LocalCalendar.StartOf(day.AddDays(1), zone);

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), start);
        Assert.Equal(hours * 3600, next - start);
        Assert.Equal(day, LocalCalendar.DateOf(start, zone));
        Assert.Equal(day, LocalCalendar.DateOf(next - 1, zone));
    }

    [Theory]
    [InlineData("2026-06-01", "2026-06-01")] // a Monday
    [InlineData("2026-06-07", "2026-06-01")] // the Sunday after it
    [InlineData("2026-06-03", "2026-06-01")]
    public void MondayOf_AnyDay_TheMondayStartingItsWeek(string date, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture),
            LocalCalendar.MondayOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
}
