using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>A dashboard on ws://HOST/clients/USER (a <see cref="TestSocket"/> that keeps no frames).</summary>
public sealed class WebSocketDashboard : LoadDashboard
{
    private TestSocket? _socket;

    private WebSocketDashboard(IReadOnlyList<LoadController?> controllers, Meter meter)
        : base(controllers, meter)
    {
    }

    /// <inheritdoc />
    public override bool ClosedByServer => _socket?.CloseStatus is not null;

    /// <summary>Connects and starts reading; the snapshot and presence frames (no seq) are skipped.</summary>
    public static async Task<WebSocketDashboard> ConnectAsync(Uri uri, IReadOnlyList<LoadController?> controllers, Meter meter)
    {
        var dashboard = new WebSocketDashboard(controllers, meter);
        dashboard._socket = await TestSocket.ConnectAsync(uri, read: false);
        dashboard._socket.StartReading(dashboard.OnFrame, keepFrames: false);
        return dashboard;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        var seq = RawFrames.Seq(frame);
        if (seq >= 0)
        {
            Delivered(DeviceIds.IndexIn(RawFrames.StringAfter(frame, "\"device\":\""u8)), seq);
        }
    }
}
