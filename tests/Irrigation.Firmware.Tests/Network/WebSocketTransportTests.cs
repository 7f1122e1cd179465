using System;
using System.Diagnostics;
using System.Linq;
using System.Net.WebSockets;
using System.Reflection;
using System.Threading;
using Irrigation.Core.Link;
using Irrigation.Core.Protocol;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Network;
using System.Net.WebSockets.WebSocketFrame;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Network
{
    /// <summary>WebSocketTransport on the model of nanoFramework's ClientWebSocket (Models/WebSocketsModel.cs).</summary>
    public class WebSocketTransportTests : ModelTest
    {
        private readonly FirmwareLog _log;

        public WebSocketTransportTests()
        {
            _log = Rig.NewLog();
        }

        /// <summary>What LinkSupervisor does once: Connect, wait for Open or Closed up to its timeout, else Disconnect.</summary>
        // Waits until the attempt leaves Connecting, at most connectTimeoutMs (then gives it up): a short bound plays a
        // hung attempt, a long one is only an upper bound for a loaded machine.
        private static LinkState Cycle(WebSocketTransport transport, string url, int connectTimeoutMs)
        {
            transport.Connect(url);
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < connectTimeoutMs)
            {
                LinkState state = transport.State;
                if (state != LinkState.Connecting)
                {
                    return state;
                }

                Thread.Sleep(5);
            }

            transport.Disconnect();
            return transport.State;
        }

        private static ClientWebSocket LastSocket()
        {
            return ModelNetwork.Sockets.Last();
        }

        [Fact]
        public void Connect_ServerNeverAnswersHandshake_OneAttemptAliveAtATime()
        {
            ModelNetwork.Default = ServerBehaviour.Hang;
            var transport = Rig.NewTransport(_log);

            for (int i = 0; i < 20; i++)
            {
                Cycle(transport, Rig.IpUrl, 50);
            }

            Assert.True(Eventually(() => ModelNetwork.HungNow == 1), "hung handshakes: " + ModelNetwork.HungNow);
            Assert.True(ModelNetwork.PeakSockets <= 1, "sockets open at once: " + ModelNetwork.PeakSockets + " (lwIP has 16)");
            Assert.Equal(LinkState.Closed, transport.State);
        }

        [Fact]
        public void HungServerResumes_LinkComesBackByItself()
        {
            ModelNetwork.Default = ServerBehaviour.Hang;   // kill -STOP
            var transport = Rig.NewTransport(_log, abandonAfterMs: 100);
            for (int i = 0; i < 5; i++)
            {
                Assert.NotEqual(LinkState.Open, Cycle(transport, Rig.IpUrl, 50));
            }

            ModelNetwork.Default = ServerBehaviour.Answer;  // kill -CONT: it answers what it accepted, and new connections
            ModelNetwork.ReleaseHung(ServerBehaviour.Answer);

            Assert.True(Eventually(() => Cycle(transport, Rig.IpUrl, 15000) == LinkState.Open), "the link did not come back");
            Assert.True(Eventually(() => ModelNetwork.OpenSockets == 1), "sockets left open: " + ModelNetwork.OpenSockets);
            Assert.Equal(0, ModelBoard.Reboots);
            Assert.True(transport.Send("{\"event\":\"status\",\"data\":{}}"));
        }

        [Fact]
        public void StuckAttempt_PastSecondBound_IsReportedHung()
        {
            ModelNetwork.Default = ServerBehaviour.Hang;
            var transport = Rig.NewTransport(_log, abandonAfterMs: 50, stuckAfterMs: 200);
            long before = Environment.TickCount64;
            Cycle(transport, Rig.IpUrl, 30);

            // The attempt started at or after `before`: one millisecond short of the second bound it is not hung yet,
            // however long this thread was descheduled meanwhile.
            Assert.False(transport.IsHung(before + 199));
            Assert.True(Eventually(() => transport.IsHung(Environment.TickCount64)));

            ModelNetwork.ReleaseHung(ServerBehaviour.Refuse);
            Assert.True(Eventually(() => !transport.IsHung(Environment.TickCount64)), "a finished attempt still counts as hung");
        }

        [Fact]
        public void ConnectionClosed_WhileTheSuspendedReceiveThreadHoldsTheLock_HandlerReturns()
        {
            var transport = Rig.NewTransport(_log);
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
            ClientWebSocket socket = LastSocket();

            // The library's timer suspends the receive thread wherever it is (ReceiveAndControllThread.CheckTimeouts,
            // Thread.Suspend); here it is inside the transport's lock, in the MessageReceived handler.
            object gate = typeof(WebSocketTransport).GetField("_lock", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(transport);
            using var held = new ManualResetEventSlim();
            using var resume = new ManualResetEventSlim();
            var receiveThread = new Thread(() => { lock (gate) { held.Set(); resume.Wait(); } }) { IsBackground = true };
            receiveThread.Start();
            held.Wait();

            // ...and then raises ConnectionClosed from the timer thread (ping timeout), before Resume().
            var timerThread = new Thread(socket.TimerClosesForPingTimeout) { IsBackground = true };
            timerThread.Start();
            bool returned = timerThread.Join(15000);
            resume.Set();
            receiveThread.Join();

            Assert.True(returned, "the close handler blocked on the lock the suspended receive thread holds: deadlock");
            Assert.True(Eventually(() => transport.State == LinkState.Closed));
        }

        [Fact]
        public void Disconnect_OpenSocket_CloseFrameReachesTheServer()
        {
            var transport = Rig.NewTransport(_log);
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
            ClientWebSocket socket = LastSocket();

            transport.Disconnect();

            Assert.Equal(LinkState.Closed, transport.State);
            Assert.True(Eventually(() => socket.SentFrames.Any(f => f.IsClose)), "no close frame was sent");
            Assert.DoesNotContain(socket.DroppedFrames, f => f.IsClose);
            Assert.True(Eventually(() => socket.TcpClosed), "the TCP socket was not closed after the close handshake");
        }

        [Fact]
        public void Connect_Wss_VerifiesTheServerAgainstTheCaDeployedOnTheBoard()
        {
            ModelNetwork.DeviceCaStore = ModelNetwork.ServerCa;   // nanoff-flash.ps1 -CaCertificate
            var transport = Rig.NewTransport(_log);

            Assert.Equal(LinkState.Open, Cycle(transport, Rig.SecureUrl, 15000));

            ClientWebSocket socket = LastSocket();
            Assert.Equal(System.Net.Security.SslVerification.CertificateRequired, socket.Options.SslVerification);
            Assert.Null(socket.Options.Certificate);   // the board's store is the trust anchor
            Assert.False(socket.UseStoredDeviceCertificate, "UseStoredDeviceCertificate sends the device's client certificate");
        }

        [Theory]
        [InlineData("CN=Some Other CA")]   // a certificate that does not chain to the CA on the board
        [InlineData(null)]                 // no CA deployed (a fresh or mass-erased board)
        public void Connect_WssServerNotTrustedByTheBoard_RefusedAndTheLogSaysWhy(string boardCa)
        {
            ModelNetwork.DeviceCaStore = boardCa;
            var transport = Rig.NewTransport(_log);

            Assert.Equal(LinkState.Closed, Cycle(transport, Rig.SecureUrl, 15000));

            Assert.True(Eventually(() => ModelSerial.Contains("connect failed attempt=1: TLS refused the server's certificate: it does not chain to the CA on this board (nanoff-flash.ps1 -CaCertificate)")), string.Join("\n", ModelSerial.Lines));
            Assert.False(LastSocket().State == WebSocketState.Open);
        }

        [Fact]
        public void Connect_WssRefusedManyTimes_LeavesNoSocketOpenAndConnectsOnceTheRightCaIsDeployed()
        {
            ModelNetwork.DeviceCaStore = "CN=Some Other CA";
            var transport = Rig.NewTransport(_log);

            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(LinkState.Closed, Cycle(transport, Rig.SecureUrl, 15000));
            }

            // The library leaves each refused attempt's TCP socket open; the collector the transport runs closes it.
            Assert.True(Eventually(() => ModelNetwork.OpenSockets == 0), "sockets left open: " + ModelNetwork.OpenSockets);
            Assert.True(ModelNetwork.PeakSockets <= 2, "sockets open at once: " + ModelNetwork.PeakSockets + " (lwIP has 16)");
            ModelNetwork.DeviceCaStore = ModelNetwork.ServerCa;
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.SecureUrl, 15000));
        }

        [Fact]
        public void Connect_BadHandshakeManyTimes_LeavesNoSocketOpen()
        {
            ModelNetwork.Default = ServerBehaviour.BadHandshake;   // a proxy answering 502, say
            var transport = Rig.NewTransport(_log);

            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(LinkState.Closed, Cycle(transport, Rig.IpUrl, 15000));
            }

            Assert.True(Eventually(() => ModelNetwork.OpenSockets == 0), "sockets left open: " + ModelNetwork.OpenSockets);
            Assert.True(ModelNetwork.PeakSockets <= 2, "sockets open at once: " + ModelNetwork.PeakSockets);
            Assert.True(ModelSerial.Contains("connect failed attempt=1: WebSocket did not receive right handshake"));
        }

        [Fact]
        public void Connect_Ws_NeedsNoCa()
        {
            ModelNetwork.DeviceCaStore = null;
            var transport = Rig.NewTransport(_log);

            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
        }

        [Fact]
        public void Connect_Options_RefuseFramesLargerThanTheServerSends()
        {
            var transport = Rig.NewTransport(_log);
            Cycle(transport, Rig.IpUrl, 15000);

            ClientWebSocketOptions options = LastSocket().Options;
            Assert.Equal(ServerMessageParser.MaxServerFrameBytes, options.MaxReceiveFrameSize);
            Assert.Equal(TimeSpan.FromMilliseconds(1000), options.KeepAliveInterval);
            Assert.Equal(TimeSpan.FromMilliseconds(500), options.ServerTimeout);
        }

        [Fact]
        public void Receive_ManyLargeFramesUnread_QueueHoldsAtMostItsByteBudget()
        {
            var transport = Rig.NewTransport(_log, receiveQueueBytes: 4096);
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
            ClientWebSocket socket = LastSocket();
            // 1900 characters of 2 bytes each: the queue counts what the frames cost on the heap, their UTF-8 bytes.
            string big = "{\"event\":\"error\",\"data\":{\"code\":\"bad_field\",\"message\":\"" + new string('é', 1900) + "\"}}";

            for (int i = 0; i < 10; i++)
            {
                socket.ServerSends(big);
            }

            Assert.True(Eventually(() => socket.DeliveredFrames == 10), "frames were not delivered");
            int heldBytes = 0;
            string frame;
            while ((frame = transport.Receive()) != null)
            {
                Assert.Equal(big, frame);   // decoded whole, on this (the tick) thread
                heldBytes += System.Text.Encoding.UTF8.GetByteCount(frame);
            }

            Assert.InRange(heldBytes, System.Text.Encoding.UTF8.GetByteCount(big), 4096);
            Assert.Equal(9, transport.DroppedFrames);
        }

        [Fact]
        public void Calls_FromTheTickThread_NeverResolveAHostName()
        {
            var transport = Rig.NewTransport(_log);
            int tick = Environment.CurrentManagedThreadId;

            Assert.Equal(LinkState.Open, Cycle(transport, Rig.NameUrl, 15000));
            for (int i = 0; i < 100; i++)
            {
                _ = transport.State;
                transport.Send("{}");
                transport.Receive();
            }

            transport.Disconnect();
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.NameUrl, 15000));

            int[] lookups = ModelNetwork.DnsThreads;
            Assert.Equal(2, lookups.Length);   // once per attempt
            Assert.DoesNotContain(tick, lookups);
        }

        [Fact]
        public void Connect_IpLiteralUrl_ResolvesNothing()
        {
            var transport = Rig.NewTransport(_log);
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));

            Assert.Empty(ModelNetwork.DnsThreads);
        }

        [Fact]
        public void Connect_DnsServerUnreachable_FailsWithTheReason()
        {
            ModelNetwork.DnsFailure = "no answer";
            var transport = Rig.NewTransport(_log);

            Assert.Equal(LinkState.Closed, Cycle(transport, Rig.NameUrl, 15000));
            Assert.True(Eventually(() => ModelSerial.Contains("connect failed attempt=1")));
        }

        [Fact]
        public void PeerVanishes_ReceiveLoopEndsAndTheLinkReportsClosed()
        {
            var transport = Rig.NewTransport(_log);
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
            ClientWebSocket socket = LastSocket();

            socket.PeerVanishes();   // every Read() returns 0 from now on

            Assert.True(Eventually(() => transport.State == LinkState.Closed), "still open after the peer vanished");
            Assert.True(Eventually(() => !socket.ReceiveThreadAlive), "the receive loop still spins");
            Assert.True(socket.EmptyReads > 0);
            ModelNetwork.ServerResponsive = true;
            Assert.Equal(LinkState.Open, Cycle(transport, Rig.IpUrl, 15000));
        }

        [Fact]
        public void ConnectRefused_LogLine_SaysWhatToCheck()
        {
            ModelNetwork.Default = ServerBehaviour.Refuse;
            var transport = Rig.NewTransport(_log);

            Assert.Equal(LinkState.Closed, Cycle(transport, Rig.IpUrl, 15000));
            Assert.True(Eventually(() => ModelSerial.Contains("connect failed attempt=1: state=5 when Connect returned")), string.Join("\n", ModelSerial.Lines));
        }
    }
}
