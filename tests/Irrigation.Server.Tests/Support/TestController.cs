using System.Text.Json;

namespace Irrigation.Server.Tests.Support;

/// <summary>A fake controller over a real WebSocket: hello, numbered events, acks.</summary>
public sealed class TestController : IAsyncDisposable
{
    private long _seq;

    /// <summary>Wraps a connected socket.</summary>
    public TestController(TestSocket socket, string device, long boot)
    {
        Socket = socket;
        Device = device;
        Boot = boot;
    }

    /// <summary>The socket.</summary>
    public TestSocket Socket { get; }

    /// <summary>Device id.</summary>
    public string Device { get; }

    /// <summary>Boot id.</summary>
    public long Boot { get; }

    /// <summary>The welcome frame.</summary>
    public JsonElement Welcome { get; set; }

    /// <summary>Sets the next seq to use.</summary>
    public void SetNextSeq(long next) => _seq = next - 1;

    /// <summary>Hello frame JSON.</summary>
    public static string Hello(string device, string token, long boot, params string[] zones) =>
        JsonSerializer.Serialize(new
        {
            @event = "hello",
            data = new { device, token, firmware = "test", protocol = 1, boot, zones, sensors = new[] { "temperature", "humidity", "soil_moisture" } },
        });

    /// <summary>Sends an event with the next seq; returns the seq.</summary>
    public async Task<long> SendAsync(string eventName, string dataJson)
    {
        var seq = ++_seq;
        await Socket.SendAsync($"{{\"event\":\"{eventName}\",\"seq\":{seq},\"data\":{dataJson}}}");
        return seq;
    }

    /// <summary>Sends an event with an explicit seq.</summary>
    public Task SendWithSeqAsync(long seq, string eventName, string dataJson) =>
        Socket.SendAsync($"{{\"event\":\"{eventName}\",\"seq\":{seq},\"data\":{dataJson}}}");

    /// <summary>Sends a temperature reading.</summary>
    public Task<long> TemperatureAsync(long time, int record) => SendAsync("temperature", $"{{\"time\":{time},\"record\":{record}}}");

    /// <summary>Waits for an ack covering <paramref name="seq"/>.</summary>
    public Task<JsonElement> WaitAckAsync(long seq) =>
        Socket.WaitForAsync(f => TestSocket.Event(f) == "ack" && f.GetProperty("data").GetProperty("seq").GetInt64() >= seq, $"ack >= {seq}");

    /// <summary>Highest ack value received.</summary>
    public long HighestAck => Socket.Frames.Where(f => TestSocket.Event(f) == "ack")
        .Select(f => f.GetProperty("data").GetProperty("seq").GetInt64()).DefaultIfEmpty(0).Max();

    /// <summary>Error frames received.</summary>
    public IReadOnlyList<string> ErrorCodes => Socket.Frames.Where(f => TestSocket.Event(f) == "error")
        .Select(f => f.GetProperty("data").GetProperty("code").GetString()!).ToList();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
