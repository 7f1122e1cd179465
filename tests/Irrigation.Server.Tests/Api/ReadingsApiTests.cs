using System.Net;
using System.Text.Json;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Api;

public class ReadingsApiTests
{
    [Fact]
    public async Task Flow_AReadingKindOfTheCoresTable_StoredQueriedAndInTheSnapshotWithItsField()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.SendAsync("flow", "{\"time\":1764547200,\"zone\":\"zone1\",\"rate\":184}");
        var last = await controller.SendAsync("flow", "{\"time\":1764547210,\"rate\":190}");
        await controller.WaitAckAsync(last);
        using var http = server.Http(alice);

        var readings = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/readings?kind=flow&from=1764547200&to=1764547260&points=1")).RootElement;
        var devices = JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices");

        var bucket = Assert.Single(readings.GetProperty("buckets").EnumerateArray());
        Assert.Equal((2, 184, 190), (bucket.GetProperty("count").GetInt32(), bucket.GetProperty("min").GetInt32(), bucket.GetProperty("max").GetInt32()));
        var flow = devices[0].GetProperty("last").GetProperty("flow");
        Assert.Equal(190, flow.GetProperty("rate").GetInt32());
        Assert.False(flow.TryGetProperty("record", out _));
        await board.WaitForAsync(f => TestSocket.Event(f) == "flow" && f.GetProperty("data").GetProperty("rate").GetInt32() == 190, "the live flow");
    }

    [Fact]
    public async Task Readings_KnownDataSet_BucketsMatchIndependentComputationAndNeverExceedPoints()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:RateBurst"] = "100000" });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        const long start = 1_764_547_200;
        var random = new Random(42);
        var readings = new List<(long Time, int Value)>();
        for (var i = 0; i < 600; i++)
        {
            // Irregular times over ~10 hours, some gaps, negative and positive values.
            var time = start + i * 60 + random.Next(0, 50);
            if (i is > 200 and < 260)
            {
                continue;
            }

            var value = random.Next(-150, 400);
            readings.Add((time, value));
            await controller.TemperatureAsync(time, value);
        }

        await controller.SendAsync("humidity", $"{{\"time\":{start + 5},\"record\":500}}");
        await controller.WaitAckAsync(readings.Count + 1);
        using var http = server.Http(alice);

        foreach (var (from, to, points) in new[] { (start, start + 36_000, 7), (start + 1000, start + 20_000, 100), (start - 500, start + 40_000, 1), (start, start + 36_000, 2000) })
        {
            var json = JsonDocument.Parse(await http.GetStringAsync($"api/devices/farm-01/readings?kind=temperature&from={from}&to={to}&points={points}")).RootElement;
            var buckets = json.GetProperty("buckets").EnumerateArray().ToList();
            var width = (to - from + points - 1) / points;
            var expected = readings.Where(r => r.Time >= from && r.Time < to)
                .GroupBy(r => (r.Time - from) / width)
                .OrderBy(g => g.Key)
                .Select(g => (Time: from + g.Key * width, Count: g.Count(), Min: g.Min(r => r.Value), Max: g.Max(r => r.Value), Avg: g.Average(r => r.Value)))
                .ToList();

            Assert.True(buckets.Count <= points, $"{buckets.Count} buckets for points={points}");
            Assert.Equal(width, json.GetProperty("width").GetInt64());
            Assert.Equal(expected.Count, buckets.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Time, buckets[i].GetProperty("time").GetInt64());
                Assert.Equal(expected[i].Count, buckets[i].GetProperty("count").GetInt32());
                Assert.Equal(expected[i].Min, buckets[i].GetProperty("min").GetInt32());
                Assert.Equal(expected[i].Max, buckets[i].GetProperty("max").GetInt32());
                Assert.Equal(expected[i].Avg, buckets[i].GetProperty("avg").GetDouble(), 2);
            }
        }

        var humidity = JsonDocument.Parse(await http.GetStringAsync($"api/devices/farm-01/readings?kind=humidity&from={start}&to={start + 10}&points=10"));
        Assert.Equal(500, humidity.RootElement.GetProperty("buckets")[0].GetProperty("avg").GetDouble());
    }

    [Theory]
    [InlineData("kind=rain&from=0&to=10&points=5")]
    [InlineData("from=0&to=10&points=5")]
    [InlineData("kind=temperature&from=10&to=10&points=5")]
    [InlineData("kind=temperature&from=20&to=10")]
    [InlineData("kind=temperature&from=abc&to=10")]
    [InlineData("kind=temperature&from=0&to=10&points=0")]
    [InlineData("kind=temperature&from=0&to=10&points=2001")]
    [InlineData("kind=temperature&from=0&to=10&points=1.5")]
    public async Task Readings_BadQuery_Returns400WithMessage(string query)
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);

        var response = await http.GetAsync("api/devices/farm-01/readings?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("api/devices/farm-01/readings?kind=temperature&from=0&to=10")]
    [InlineData("api/devices/farm-01/events")]
    [InlineData("api/devices/ghost/readings?kind=temperature&from=0&to=10")]
    [InlineData("api/devices/ghost/events")]
    public async Task History_OtherUsersOrUnknownDevice_Returns404(string path)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(bob);

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Api_NoToken_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Http();

        var response = await http.GetAsync("api/devices");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
