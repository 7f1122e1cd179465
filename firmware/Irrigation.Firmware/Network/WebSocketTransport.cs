using System;
using System.Net.Security;
using System.Net.WebSockets;
using System.Net.WebSockets.WebSocketFrame;
using System.Text;
using System.Threading;
using Irrigation.Core.Link;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// The link's WebSocket on nanoFramework's <see cref="ClientWebSocket"/> (System.Net.WebSockets 1.1.167;
    /// nanoframework/System.Net.WebSockets WebSockets/ClientWebSocket/ClientWebSocket.cs, WebSocket.cs,
    /// ReceiveAndControllThread.cs). What the library does, and what this class does about it:
    /// <list type="bullet">
    /// <item>Connect reads the handshake with no timeout, and Dispose cannot abort it (it throws before the
    /// connection is open): a server that accepts TCP and never answers keeps the call, its thread and one of
    /// lwIP's 16 sockets for ever. So at most ONE attempt is alive at any time; an attempt older than
    /// abandonAfterMs is abandoned (the link reads Closed, its result is thrown away when it ends, and no new
    /// attempt starts while it runs); one older than stuckAfterMs makes <see cref="IsHung"/> true, and the
    /// watchdog closes every valve and reboots (counted, no reboot loop).</item>
    /// <item>Every attempt uses a NEW ClientWebSocket (each Connect subscribes an internal handler).</item>
    /// <item>Connect resolves the host name itself (Dns.GetHostEntry), on the attempt's thread, once per
    /// attempt; nothing the tick thread calls here resolves anything. A DNS server that never answers still
    /// freezes the whole runtime for the lookup (one RTOS task runs every managed thread), so the server URL
    /// should hold an IP address (docs/hardware.md).</item>
    /// <item>A TCP failure inside Connect is swallowed (State = Closed, no exception); DNS, TLS and handshake
    /// failures throw: both are handled, and success is decided by State == Open read as Connect returns. After a
    /// throw the library leaves its TCP socket open for the finalizer, so the collector runs then.</item>
    /// <item>wss:// verifies the server against the CA store nanoff wrote on the board (CertificateRequired; never
    /// NoVerification); a refusal is logged as such.</item>
    /// <item>KeepAliveInterval and ServerTimeout are set explicitly (the defaults differ with and without an
    /// options object); MaxReceiveFrameSize is the largest frame the server sends, so a bigger one is refused
    /// before the library allocates it; received frames wait as the library's bytes in a <see cref="FrameQueue"/>
    /// bounded in bytes, and are decoded one at a time by the tick thread (<see cref="Receive"/>).</item>
    /// <item>The library's 5 s timer suspends the receive thread (wherever it is, maybe inside this class's
    /// lock) and raises ConnectionClosed: that handler takes no lock. State is read from the socket instead.</item>
    /// <item>Disconnect sends a close frame and lets the library finish the close handshake; the socket is
    /// disposed only at the next attempt, so the close frame is not dropped by an immediate dispose.</item>
    /// </list>
    /// </summary>
    public sealed class WebSocketTransport : ILinkTransport, IHangCheck
    {
        private readonly object _lock = new object();
        private readonly int _keepAliveMs;
        private readonly int _serverTimeoutMs;
        private readonly int _maxFrameBytes;
        private readonly int _abandonAfterMs;
        private readonly int _stuckAfterMs;
        private readonly FrameQueue _received;
        private readonly WifiConnector _wifi;
        private readonly FirmwareLog _log;
        private ClientWebSocket _socket;
        private ClientWebSocket _closing;
        private LinkState _state = LinkState.Closed;
        private int _attempt;
        private bool _workerAlive;
        private int _workerAttempt;
        private long _workerStartedMs;
        private int _skippedFrames;
        private int _libraryCloses;

        /// <summary>
        /// Creates a closed transport. <paramref name="wifi"/> may be null (then Wi-Fi is assumed up). A connect
        /// attempt is abandoned after <paramref name="abandonAfterMs"/> and reported hung after
        /// <paramref name="stuckAfterMs"/>; received frames may hold <paramref name="receiveQueueBytes"/> bytes in at
        /// most <paramref name="receiveQueueFrames"/> frames.
        /// </summary>
        public WebSocketTransport(int keepAliveMs, int serverTimeoutMs, int maxFrameBytes, int receiveQueueBytes, int receiveQueueFrames, int abandonAfterMs, int stuckAfterMs, WifiConnector wifi, FirmwareLog log)
        {
            _keepAliveMs = keepAliveMs;
            _serverTimeoutMs = serverTimeoutMs;
            _maxFrameBytes = maxFrameBytes;
            _abandonAfterMs = abandonAfterMs;
            _stuckAfterMs = stuckAfterMs;
            _received = new FrameQueue(receiveQueueBytes, receiveQueueFrames);
            _wifi = wifi;
            _log = log;
        }

        /// <summary>The state now; an open socket that the library closed (ping timeout, server close) reads as Closed.</summary>
        public LinkState State
        {
            get
            {
                int abandoned = 0;
                long ageMs = 0;
                ClientWebSocket retired = null;
                LinkState state;
                lock (_lock)
                {
                    long now = Uptime.Milliseconds;
                    if (_state == LinkState.Connecting && now - _workerStartedMs >= _abandonAfterMs)
                    {
                        // The attempt outlived its bound: its result is no longer wanted, the link reads Closed
                        // and the core backs off; no other attempt starts while this one runs.
                        _attempt++;
                        _state = LinkState.Closed;
                        abandoned = _workerAttempt;
                        ageMs = now - _workerStartedMs;
                    }
                    else if (_state == LinkState.Open && (_socket == null || _socket.State != WebSocketState.Open))
                    {
                        _state = LinkState.Closed;
                        retired = RetireLocked(_socket);
                        _socket = null;
                    }

                    state = _state;
                }

                DisposeQuietly(retired);
                if (abandoned != 0)
                {
                    _log.Warn("link", "connect attempt=" + abandoned + " abandoned after " + (ageMs / 1000) + " s: the server accepted TCP and never answered the handshake (hung server or proxy); no new attempt until it ends, reboot after " + (_stuckAfterMs / 1000) + " s");
                }

                return state;
            }
        }

        /// <summary>Received frames dropped because the queue's byte budget was full.</summary>
        public int DroppedFrames
        {
            get { lock (_lock) { return _received.Dropped; } }
        }

        /// <summary>Binary, fragmented or undecodable frames ignored (the protocol uses unfragmented UTF-8 text frames).</summary>
        public int SkippedFrames
        {
            get { lock (_lock) { return _skippedFrames; } }
        }

        /// <summary>ConnectionClosed events the library raised (counted without a lock: see the class remarks).</summary>
        public int LibraryCloses
        {
            get { return _libraryCloses; }
        }

        /// <summary>True when a connect attempt has been blocked for <c>stuckAfterMs</c> or more (the second bound).</summary>
        public bool IsHung(long nowMs)
        {
            lock (_lock)
            {
                return _workerAlive && nowMs - _workerStartedMs >= _stuckAfterMs;
            }
        }

        /// <summary>Starts one connection attempt in the background; ignored while one is running, open, or stuck.</summary>
        public void Connect(string url)
        {
            int attempt;
            int stuckAttempt = 0;
            long stuckMs = 0;
            ClientWebSocket retired;
            lock (_lock)
            {
                if (_state != LinkState.Closed || (_wifi != null && !_wifi.IsReady))
                {
                    // Running or open already, or nothing to try yet: the core backs off and asks again.
                    return;
                }

                if (_workerAlive)
                {
                    stuckAttempt = _workerAttempt;
                    stuckMs = Uptime.Milliseconds - _workerStartedMs;
                    retired = null;
                    attempt = 0;
                }
                else
                {
                    retired = RetireLocked(null);
                    _received.Clear();
                    _state = LinkState.Connecting;
                    _attempt++;
                    attempt = _attempt;
                    _workerAlive = true;
                    _workerAttempt = attempt;
                    _workerStartedMs = Uptime.Milliseconds;
                }
            }

            DisposeQuietly(retired);
            if (stuckAttempt != 0)
            {
                _log.Warn("link", "connect skipped: attempt=" + stuckAttempt + " still waits for the handshake after " + (stuckMs / 1000) + " s");
                return;
            }

            new Thread(() => ConnectWorker(url, attempt)).Start();
        }

        /// <summary>Queues one text frame on the library's sender thread; false when not open.</summary>
        public bool Send(string frame)
        {
            ClientWebSocket socket;
            lock (_lock)
            {
                socket = _state == LinkState.Open ? _socket : null;
            }

            if (socket == null || socket.State != WebSocketState.Open)
            {
                return false;
            }

            try
            {
                return socket.SendString(frame);
            }
            catch
            {
                return false;
            }
        }

        /// <summary>The oldest received text frame, decoded here on the caller's (the tick) thread, or null.</summary>
        public string Receive()
        {
            while (true)
            {
                byte[] frame;
                int length;
                lock (_lock)
                {
                    frame = _received.Dequeue(out length);
                }

                if (frame == null)
                {
                    return null;
                }

                try
                {
                    return Encoding.UTF8.GetString(frame, 0, length);
                }
                catch
                {
                    // Not UTF-8: the frame is lost, the next one may be fine.
                    Interlocked.Increment(ref _skippedFrames);
                }
            }
        }

        /// <summary>
        /// Starts the close handshake of the open socket (if any) and forgets a running attempt; the socket is
        /// disposed at the next attempt, after the library had time to send the close frame.
        /// </summary>
        public void Disconnect()
        {
            ClientWebSocket open;
            ClientWebSocket retired;
            lock (_lock)
            {
                _attempt++;
                open = _socket;
                _socket = null;
                retired = RetireLocked(open);
                _received.Clear();
                _state = LinkState.Closed;
            }

            DisposeQuietly(retired);
            CloseQuietly(open);
        }

        private void ConnectWorker(string url, int attempt)
        {
            ClientWebSocket socket = null;
            string failure = null;
            WebSocketState reached = WebSocketState.None;
            try
            {
                var options = new ClientWebSocketOptions();
                options.KeepAliveInterval = TimeSpan.FromMilliseconds(_keepAliveMs);
                options.ServerTimeout = TimeSpan.FromMilliseconds(_serverTimeoutMs);
                options.MaxReceiveFrameSize = _maxFrameBytes;

                // wss://: the server's certificate must chain to a CA in the board's certificate store, which
                // nanoff-flash.ps1 -CaCertificate writes (nanoff --networkdeployment); nanoCLR loads that store into
                // every TLS context (nf-interpreter ssl_generic_init_internal.cpp) and mbedTLS refuses the handshake
                // otherwise. No CA of our own (options.Certificate would only add one), never NoVerification, and no
                // UseStoredDeviceCertificate (that sends the device's CLIENT certificate). ws:// ignores all this.
                options.SslVerification = SslVerification.CertificateRequired;
                socket = new ClientWebSocket(options);
                socket.MessageReceived += OnMessageReceived;
                socket.ConnectionClosed += OnConnectionClosed;
                socket.Connect(url);
                reached = socket.State;
            }
            catch (Exception ex)
            {
                failure = Describe(ex);
                reached = socket == null ? WebSocketState.None : socket.State;
            }

            bool open = failure == null && reached == WebSocketState.Open;
            bool wanted;
            ClientWebSocket retired = null;
            lock (_lock)
            {
                _workerAlive = false;
                wanted = attempt == _attempt;
                if (wanted && open)
                {
                    _socket = socket;
                    _state = LinkState.Open;
                }
                else if (wanted)
                {
                    _state = LinkState.Closed;
                }
                else if (open)
                {
                    // An abandoned attempt that the server finally answered: close it properly.
                    retired = RetireLocked(socket);
                }
            }

            DisposeQuietly(retired);
            if (open && !wanted)
            {
                CloseQuietly(socket);
            }
            else if (!open)
            {
                DisposeQuietly(socket);
                socket = null;
                if (failure != null)
                {
                    CollectLeftSocket();
                }
            }

            if (!wanted)
            {
                _log.Info("link", "abandoned attempt=" + attempt + " ended " + (open ? "open (closed again)" : "failed") + "; connecting again");
                return;
            }

            if (open)
            {
                _log.Info("link", "connected attempt=" + attempt);
                return;
            }

            _log.Warn("link", "connect failed attempt=" + attempt + ": "
                + (failure != null ? failure : "state=" + (int)reached + " when Connect returned (TCP refused or reset: server down or wrong port)"));
        }

        // What a Connect that threw means, for the log. A TLS refusal surfaces as the CryptographicException that
        // nanoCLR raises when mbedTLS fails the handshake (nf-interpreter SslNative SecureConnect, which carries no
        // message), from a library whose type this firmware does not reference: it is recognised by name.
        private static string Describe(Exception ex)
        {
            string type = ex.GetType().FullName;
            if (type == "System.Security.Cryptography.CryptographicException")
            {
                return "TLS refused the server's certificate: it does not chain to the CA on this board (nanoff-flash.ps1 -CaCertificate), does not name the host of the URL, or the board's clock is not set yet (" + type + ")";
            }

            string message = ex.Message;
            return message != null && message.Length > 0 ? message : type;
        }

        // ClientWebSocket.Connect closes its TCP socket only on a SocketException: after a TLS refusal or a bad
        // handshake the socket stays open, and Dispose cannot close it (it throws first: no sender yet). The
        // socket's finalizer does (System.Net Socket.cs), so the collector runs now, with the attempt's last
        // reference gone, rather than at the next status (DeviceInfo) or when the heap fills: a server whose
        // certificate the board refuses is retried every few seconds, and lwIP has 16 sockets.
        private static void CollectLeftSocket()
        {
            try
            {
                nanoFramework.Runtime.Native.GC.Run(false);
            }
            catch
            {
                // Only a courtesy to lwIP's socket table; the next collection does it anyway.
            }
        }

        private void OnMessageReceived(object sender, MessageReceivedEventArgs e)
        {
            // Runs on the library's receive thread: queue the library's own buffer (a new one per message) and
            // return; decoding waits for the tick thread, one frame at a time.
            try
            {
                ReceiveMessageFrame frame = e.Frame;
                if (frame == null || frame.MessageType != WebSocketMessageType.Text || frame.IsFragmented || frame.Buffer == null)
                {
                    // The library does not reassemble fragments; the server sends unfragmented text frames.
                    Interlocked.Increment(ref _skippedFrames);
                    return;
                }

                lock (_lock)
                {
                    if (sender == _socket)
                    {
                        _received.Enqueue(frame.Buffer, frame.MessageLength);
                    }
                }
            }
            catch
            {
                // A frame that cannot be queued is lost; the connection carries on.
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            // Raised by the library's timer while it keeps the receive thread suspended, possibly inside _lock:
            // taking the lock here would never return. The State getter reads the socket's own state instead.
            Interlocked.Increment(ref _libraryCloses);
        }

        // Keeps at most one socket finishing its close handshake; returns the one it replaces, to be disposed
        // outside the lock (HardClose lingers on the TCP socket for up to a second).
        private ClientWebSocket RetireLocked(ClientWebSocket closing)
        {
            ClientWebSocket previous = _closing;
            _closing = closing;
            return previous == closing ? null : previous;
        }

        private static void CloseQuietly(ClientWebSocket socket)
        {
            if (socket == null)
            {
                return;
            }

            try
            {
                socket.Close(WebSocketCloseStatus.NormalClosure, "bye");
            }
            catch
            {
                // Already closed underneath: disposing later is all that is left.
            }
        }

        private static void DisposeQuietly(ClientWebSocket socket)
        {
            if (socket == null)
            {
                return;
            }

            try
            {
                socket.Dispose();
            }
            catch
            {
                // Dispose before the connection opened throws (the library has no sender yet).
            }
        }
    }
}
