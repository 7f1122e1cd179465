using System.Net.WebSockets;
using System.Text;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Irrigation.Server.Tests.Relay;

public class WebSocketSessionTests
{
    [Fact]
    public async Task RunWriter_SendHeldWhileMoreQueue_OneSendAtATimeInOrder()
    {
        var (socket, session) = Create();
        var writer = session.RunWriterAsync();
        socket.HoldNextSend();
        session.Enqueue(Frame("a"), droppable: false);
        await WaitUntilAsync(() => socket.Sent.Count == 1);

        // Queueing never waits for the peer: these go while "a" is still in flight.
        session.Enqueue(Frame("b"), droppable: false);
        session.Enqueue(Frame("c"), droppable: true);
        await Task.Delay(100);
        Assert.Equal(["a"], socket.Sent);

        socket.ReleaseHeld();
        await WaitUntilAsync(() => socket.Sent.Count == 3);
        session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
        await writer.WaitAsync(TestSocket.Patience);

        Assert.Equal(["a", "b", "c", "close"], socket.Sent);
        Assert.False(socket.Overlapped);
    }

    [Fact]
    public async Task RequestClose_FramesQueued_SentBeforeTheCloseFrame()
    {
        var (socket, session) = Create();
        session.Enqueue(Frame("a"), droppable: false);
        session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");

        await session.RunWriterAsync().WaitAsync(TestSocket.Patience);

        Assert.Equal(["a", "close"], socket.Sent);
    }

    [Fact]
    public async Task EnqueueSnapshot_FramesQueuedWhileItWasBuilt_SnapshotGoesFirst()
    {
        var (socket, session) = Create();
        session.Enqueue(Frame("live-1"), droppable: true);
        session.Enqueue(Frame("live-2"), droppable: false);

        session.EnqueueSnapshot(Frame("snapshot"));
        var writer = session.RunWriterAsync();
        await WaitUntilAsync(() => socket.Sent.Count == 3);
        session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
        await writer.WaitAsync(TestSocket.Patience);

        Assert.Equal(["snapshot", "live-1", "live-2", "close"], socket.Sent);
    }

    private static (ScriptedWebSocket, DashboardSession) Create()
    {
        var socket = new ScriptedWebSocket();
        var metrics = new RelayMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var watchdog = new SendWatchdog(Microsoft.Extensions.Options.Options.Create(new RelayOptions()), TimeProvider.System);
        var queue = new DashboardQueue(16, TimeSpan.FromSeconds(10), TimeProvider.System);
        return (socket, new DashboardSession(socket, "alice", queue, watchdog, metrics, NullLogger.Instance));
    }

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
