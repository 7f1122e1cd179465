using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Water;

/// <summary>GET /api/devices/{id}/water: stored volumes once each, in local days and weeks of the device's time zone.</summary>
public class WaterApiTests
{
    [Fact]
    public async Task Water_SameVolumeSentTwiceAndReplayedAfterReconnect_CountedOnce()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        var t = Unix("2026-06-01T10:00:00Z");
        var stopped = Stopped(t, "zone1", 1234);
        await using (var controller = await server.ConnectControllerAsync("farm-01", farm))
        {
            await controller.SendAsync("irrigation_stopped", stopped);
            await controller.SendWithSeqAsync(1, "irrigation_stopped", stopped); // the ack was slow: sent again
            await controller.WaitAckAsync(1);
        }

        // The board reconnects as the same boot and resends what it was not sure of, then a new run.
        await using (var controller = await server.ConnectControllerAsync("farm-01", farm))
        {
            Assert.Equal(1, controller.Welcome.GetProperty("data").GetProperty("resume").GetInt64());
            await controller.SendWithSeqAsync(1, "irrigation_stopped", stopped);
            controller.SetNextSeq(2);
            await controller.SendAsync("irrigation_stopped", Stopped(t + 600, "zone2", 55));
            await controller.SendAsync("irrigation_stopped", Stopped(t + 900, "zone7", 3)); // a zone the device was not provisioned with
            await controller.WaitAckAsync(3);
        }

        using var http = server.Http(alice);
        var water = await GetAsync(http, $"api/devices/farm-01/water?from={t - 3600}&to={t + 3600}");

        Assert.Equal("UTC", water.GetProperty("time_zone").GetString());
        Assert.Equal(["zone1", "zone2", "zone7"], water.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        var day = Assert.Single(water.GetProperty("buckets").EnumerateArray());
        Assert.Equal(Unix("2026-06-01T00:00:00Z"), day.GetProperty("start").GetInt64());
        Assert.Equal("2026-06-01", day.GetProperty("label").GetString());
        Assert.Equal(1234, day.GetProperty("litres").GetProperty("zone1").GetInt64());
        Assert.Equal(55, day.GetProperty("litres").GetProperty("zone2").GetInt64());
        Assert.Equal(1234, water.GetProperty("totals").GetProperty("zone1").GetInt64());
        Assert.Equal(Unix("2026-06-01T00:00:00Z"), water.GetProperty("from").GetInt64());
        Assert.Equal(Unix("2026-06-02T00:00:00Z"), water.GetProperty("to").GetInt64());
        // The history has the event once too.
        var events = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/events?kind=irrigation")).RootElement.GetProperty("events");
        Assert.Equal(3, events.GetArrayLength());
    }

    [Fact]
    public async Task Water_DayBuckets_SplitAtLocalMidnightAndTheSpringForwardDayHas23Hours()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        await SetTimeZoneAsync(http, "Europe/Berlin");
        await using (var controller = await server.ConnectControllerAsync("farm-01", farm))
        {
            // Berlin goes from CET (+1) to CEST (+2) at 02:00 on Sunday 2026-03-29.
            await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-03-28T22:59:59Z"), "zone1", 1)); // 28th 23:59:59 local
            await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-03-28T23:00:00Z"), "zone1", 10)); // 29th 00:00:00
            await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-03-29T21:59:59Z"), "zone1", 100)); // 29th 23:59:59 CEST
            var last = await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-03-29T22:00:00Z"), "zone1", 1000)); // 30th 00:00:00
            await controller.WaitAckAsync(last);
        }

        var water = await GetAsync(http, $"api/devices/farm-01/water?from={Unix("2026-03-28T12:00:00Z")}&to={Unix("2026-03-30T12:00:00Z")}&bucket=day");

        Assert.Equal("Europe/Berlin", water.GetProperty("time_zone").GetString());
        var buckets = water.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(["2026-03-28", "2026-03-29", "2026-03-30"], buckets.Select(b => b.GetProperty("label").GetString()));
        Assert.Equal([Unix("2026-03-27T23:00:00Z"), Unix("2026-03-28T23:00:00Z"), Unix("2026-03-29T22:00:00Z")], buckets.Select(b => b.GetProperty("start").GetInt64()));
        Assert.Equal([1L, 110L, 1000L], buckets.Select(b => b.GetProperty("litres").GetProperty("zone1").GetInt64()));
        Assert.Equal(Unix("2026-03-30T22:00:00Z"), water.GetProperty("to").GetInt64());
        Assert.Equal(1111, water.GetProperty("totals").GetProperty("zone1").GetInt64());
    }

    [Fact]
    public async Task Water_WeekBuckets_MondayToMondayLocalEveryZoneInEveryBucket()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        using var http = server.Http(alice);
        await SetTimeZoneAsync(http, "Europe/Berlin");
        await using (var controller = await server.ConnectControllerAsync("farm-01", farm))
        {
            await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-06-07T21:30:00Z"), "zone1", 40)); // Sunday 23:30 local
            await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-06-07T22:30:00Z"), "zone1", 2)); // Monday 00:30 local
            var last = await controller.SendAsync("irrigation_stopped", Stopped(Unix("2026-06-03T06:00:00Z"), "zone1", 300));
            await controller.WaitAckAsync(last);
        }

        var water = await GetAsync(http, $"api/devices/farm-01/water?from={Unix("2026-06-03T00:00:00Z")}&to={Unix("2026-06-10T00:00:00Z")}&bucket=week");

        Assert.Equal("week", water.GetProperty("bucket").GetString());
        var buckets = water.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(["2026-06-01", "2026-06-08"], buckets.Select(b => b.GetProperty("label").GetString()));
        Assert.Equal([Unix("2026-05-31T22:00:00Z"), Unix("2026-06-07T22:00:00Z")], buckets.Select(b => b.GetProperty("start").GetInt64()));
        Assert.Equal([340L, 2L], buckets.Select(b => b.GetProperty("litres").GetProperty("zone1").GetInt64()));
        Assert.All(buckets, b => Assert.Equal(0, b.GetProperty("litres").GetProperty("zone2").GetInt64()));
        Assert.Equal(0, water.GetProperty("totals").GetProperty("zone2").GetInt64());
    }

    [Theory]
    [InlineData("bucket=month")]
    [InlineData("from=100&to=100")]
    [InlineData("from=200&to=100")]
    [InlineData("from=abc")]
    [InlineData("from=-5&to=100")]
    [InlineData("from=0&to=99999999999")]
    [InlineData("from=0&to=34560001")] // 400 days and a second: 401 buckets
    [InlineData("from=0&to=252460800&bucket=week")] // eight years of weeks
    public async Task Water_BadQuery_400WithTheErrors(string query)
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);

        var response = await http.GetAsync("api/devices/farm-01/water?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.NotEqual(0, errors.GetArrayLength());
    }

    [Fact]
    public async Task Water_OtherUsersDevice404_ViewerReads_DefaultsThirtyDaysToNow()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        var victor = await server.CreateUserAsync("victor");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        Assert.Null(await server.Services.GetRequiredService<Sharing>().ShareAsync("alice", "farm-01", "victor", DeviceRole.Viewer));
        using var bobHttp = server.Http(bob);
        using var victorHttp = server.Http(victor);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var foreign = await bobHttp.GetAsync("api/devices/farm-01/water");
        var missing = await bobHttp.GetAsync("api/devices/nowhere/water");
        var water = await GetAsync(victorHttp, "api/devices/farm-01/water");
        var weeks = await GetAsync(victorHttp, "api/devices/farm-01/water?bucket=week");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // The day 30 days before today, through today.
        Assert.Equal(31, water.GetProperty("buckets").GetArrayLength());
        Assert.InRange(now, water.GetProperty("to").GetInt64() - 86400, water.GetProperty("to").GetInt64());
        Assert.Equal(27, weeks.GetProperty("buckets").GetArrayLength());
        Assert.All(water.GetProperty("buckets").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("litres").GetProperty("zone1").GetInt64()));
    }

    private static string Stopped(long time, string zone, long litres) =>
        $$"""{"time":{{time}},"zones":["{{zone}}"],"reason":"completed","litres":{{litres}}}""";

    private static long Unix(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task SetTimeZoneAsync(HttpClient http, string zone)
    {
        var body = new { base_version = 0, settings = JsonDocument.Parse($$"""{"time_zone":"{{zone}}"}""").RootElement };
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("api/devices/farm-01/settings", body)).StatusCode);
    }
}
