using Irrigation.Server.Settings;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Water;

/// <summary>
/// The water ledger: the litres of the stored measured runs (each irrigation_stopped with <c>litres</c> is stored
/// once, so nothing counts twice) per zone, in local days or weeks of the device's time zone. The REST API and the
/// MQTT bridge's "water used today" both read it here.
/// </summary>
public sealed class WaterLedger(IEventStore events, ISettingsStore settings, TimeProvider clock)
{
    /// <summary>Most buckets one query may span.</summary>
    public const int MaxBuckets = 400;

    /// <summary>Without <c>from</c>, a day query starts this many local days before <c>to</c>.</summary>
    public const int DefaultDays = 30;

    /// <summary>Without <c>from</c>, a week query starts this many weeks before <c>to</c>.</summary>
    public const int DefaultWeeks = 26;

    /// <summary>The latest time a query may name (3000-01-01): far enough for any farm, safe for date arithmetic.</summary>
    public const long MaxTime = 32_503_680_000;

    /// <summary>
    /// The ledger of <paramref name="deviceId"/> (whose zones are <paramref name="zones"/>) in the buckets from the
    /// one containing <paramref name="from"/> to the one containing the second before <paramref name="to"/>; null
    /// defaults are described in docs/protocol.md. Null with a message per mistake in <paramref name="errors"/>.
    /// </summary>
    public async Task<WaterReport?> GetAsync(
        string deviceId, IReadOnlyList<string> zones, long? from, long? to, WaterBucketSize size, List<string> errors, CancellationToken ct = default)
    {
        var (zoneName, zone) = await TimeZoneOfAsync(deviceId, ct);
        var end = to ?? clock.GetUtcNow().ToUnixTimeSeconds();
        var start = from ?? StartOfDefaultRange(end, size, zone);
        if (start < 0 || end > MaxTime)
        {
            errors.Add($"from and to must be between 0 and {MaxTime} (Unix seconds)");
        }
        else if (start >= end)
        {
            errors.Add("from must be smaller than to");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var step = size == WaterBucketSize.Week ? 7 : 1;
        var date = LocalCalendar.DateOf(start, zone);
        date = size == WaterBucketSize.Week ? LocalCalendar.MondayOf(date) : date;
        var dates = new List<DateOnly> { date };
        var bounds = new List<long> { LocalCalendar.StartOf(date, zone) };
        while (bounds[^1] < end)
        {
            if (dates.Count > MaxBuckets)
            {
                errors.Add($"from…to spans more than {MaxBuckets} {(step == 7 ? "weeks" : "days")}: ask for a shorter range{(step == 1 ? " or bucket=week" : "")}");
                return null;
            }

            date = date.AddDays(step);
            dates.Add(date);
            bounds.Add(LocalCalendar.StartOf(date, zone));
        }

        var totals = await events.GetWaterAsync(deviceId, bounds, ct);
        var names = zones.Concat(totals.Select(t => t.Zone).Where(z => !zones.Contains(z)).Distinct().Order(StringComparer.Ordinal)).ToList();
        var buckets = new List<WaterBucket>(dates.Count - 1);
        for (var i = 0; i < dates.Count - 1; i++)
        {
            buckets.Add(new WaterBucket(bounds[i], dates[i].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                totals.Where(t => t.Bucket == i).ToDictionary(t => t.Zone, t => t.Litres, StringComparer.Ordinal)));
        }

        var sums = totals.GroupBy(t => t.Zone, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Litres), StringComparer.Ordinal);
        return new WaterReport(deviceId, size, zoneName, bounds[0], bounds[^1], names, buckets, sums);
    }

    /// <summary>Today (the local day containing now) of the device: its one bucket, and the report's end is the next local midnight.</summary>
    public async Task<WaterReport> TodayAsync(string deviceId, IReadOnlyList<string> zones, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return await GetAsync(deviceId, zones, now, now + 1, WaterBucketSize.Day, [], ct)
            ?? throw new InvalidOperationException($"the clock ({now}) is outside the ledger's range");
    }

    // "30 local days before to" (26 weeks): the same local time that many days earlier; only its date matters.
    private static long StartOfDefaultRange(long to, WaterBucketSize size, TimeZoneInfo zone)
    {
        var date = LocalCalendar.DateOf(Math.Clamp(to, 0, MaxTime), zone).AddDays(size == WaterBucketSize.Week ? -7 * DefaultWeeks : -DefaultDays);
        return Math.Max(0, LocalCalendar.StartOf(date, zone));
    }

    // The device's time zone from its newest settings; UTC when they name none (or a name this machine does not know).
    private async Task<(string Name, TimeZoneInfo Zone)> TimeZoneOfAsync(string deviceId, CancellationToken ct)
    {
        var name = (await settings.GetLatestAsync(deviceId, ct))?.TimeZone;
        return name is not null && DeviceTimeZone.Find(name, out _) is { } zone ? (name, zone) : ("UTC", TimeZoneInfo.Utc);
    }
}
