using System.Net.WebSockets;
using System.Text;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Irrigation.Server.Tests.Relay;

public class WebSocketSessionTests
{
    [Fact]
    public async Task SendQueuedInline_SendDoesNotCompleteAtOnce_HandedToTheWriterLoopInOrder()
    {
        var (socket, session, metrics) = Create();
        session.Enqueue(Frame("a"), droppable: false);
        session.Enqueue(Frame("b"), droppable: false);
        socket.HoldNextSend();

        // No writer loop yet: the inline sender takes the queue, and must not wait for the held send.
        session.SendQueuedInline();

        Assert.Equal(["a"], socket.Sent);
        var writer = session.RunWriterAsync();
        await Task.Delay(100);
        Assert.Equal(["a"], socket.Sent);
        await ReleaseThenCloseAsync(socket, session, writer);

        Assert.Equal(["a", "b", "close"], socket.Sent);
        Assert.False(socket.Overlapped);
        Assert.Equal(2, metrics.EventsOut);
    }

    [Fact]
    public async Task SendQueuedInline_WhileTheWriterLoopSends_LeavesTheQueueToIt()
    {
        var (socket, session, _) = Create();
        var writer = session.RunWriterAsync();
        socket.HoldNextSend();
        session.Enqueue(Frame("a"), droppable: false);
        await WaitUntilAsync(() => socket.Sent.Count == 1);

        session.Enqueue(Frame("b"), droppable: false);
        session.SendQueuedInline();

        Assert.Equal(["a"], socket.Sent);
        await ReleaseThenCloseAsync(socket, session, writer);
        Assert.Equal(["a", "b", "close"], socket.Sent);
        Assert.False(socket.Overlapped);
    }

    [Fact]
    public async Task SendQueuedInline_AfterCloseRequested_TheWriterLoopSendsTheRestThenCloses()
    {
        var (socket, session, _) = Create();
        session.Enqueue(Frame("a"), droppable: false);
        session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");

        session.SendQueuedInline();
        Assert.Empty(socket.Sent);
        await session.RunWriterAsync().WaitAsync(TestSocket.Patience);

        Assert.Equal(["a", "close"], socket.Sent);
        Assert.False(socket.Overlapped);
    }

    private static (ScriptedWebSocket, DashboardSession, RelayMetrics) Create()
    {
        var socket = new ScriptedWebSocket();
        var metrics = new RelayMetrics();
        var watchdog = new SendWatchdog(Microsoft.Extensions.Options.Options.Create(new RelayOptions()), TimeProvider.System);
        var queue = new DashboardQueue(16, TimeSpan.FromSeconds(10), TimeProvider.System);
        return (socket, new DashboardSession(socket, "alice", queue, watchdog, metrics, NullLogger.Instance), metrics);
    }

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    // Lets the held "a" complete, waits for "b" behind it, then closes and waits for the writer loop to end.
    private static async Task ReleaseThenCloseAsync(ScriptedWebSocket socket, DashboardSession session, Task writer)
    {
        socket.ReleaseHeld();
        await WaitUntilAsync(() => socket.Sent.Count == 2);
        session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
        await writer.WaitAsync(TestSocket.Patience);
    }

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
