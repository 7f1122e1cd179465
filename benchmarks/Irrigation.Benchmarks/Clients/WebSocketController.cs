using System.Net.WebSockets;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>A load controller that is the tests' fake controller (<see cref="TestController"/>), keeping no frames.</summary>
public sealed class WebSocketController : LoadController
{
    private TestController? _controller;

    private WebSocketController(int index, Meter meter)
        : base(index, meter)
    {
    }

    /// <inheritdoc />
    public override bool IsOpen => _controller?.Socket.Socket.State == WebSocketState.Open;

    /// <inheritdoc />
    public override int Errors => _controller?.ErrorCodes.Count ?? 0;

    /// <summary>Connects device b-NNNNN with its token, says hello and waits for welcome.</summary>
    public static async Task<WebSocketController> ConnectAsync(Uri server, int index, string token, Meter meter, HttpMessageInvoker? invoker = null)
    {
        var load = new WebSocketController(index, meter);
        load._controller = await TestController.ConnectAsync(server, DeviceIds.Of(index), token, new TestControllerOptions
        {
            Zones = ["zone1"],
            KeepFrames = false,
            OnAck = load.AckedUpTo,
            Invoker = invoker,
        });
        return load;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<bool> SendAsync(long seq, long time, int record)
    {
        try
        {
            await _controller!.Socket.SendUtf8Async(TestController.TemperatureFrame(seq, time, record));
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }
}
