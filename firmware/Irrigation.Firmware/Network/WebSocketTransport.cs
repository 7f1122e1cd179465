using System;
using System.Net.WebSockets;
using System.Net.WebSockets.WebSocketFrame;
using System.Text;
using System.Threading;
using Irrigation.Core.Link;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// The link's WebSocket on nanoFramework's <see cref="ClientWebSocket"/>.
    /// <list type="bullet">
    /// <item>Connect never blocks the tick thread: each attempt runs on its own worker thread.</item>
    /// <item>Every attempt uses a NEW ClientWebSocket (each Connect subscribes an internal handler, so a socket
    /// is never reused) and the previous one is disposed.</item>
    /// <item>KeepAliveInterval and ServerTimeout are set explicitly: the library's defaults differ depending on
    /// whether an options object is passed at all.</item>
    /// <item>A TCP/TLS failure inside Connect is swallowed by the library (State = Closed, no exception), while
    /// DNS and handshake failures throw: both are handled, and success is decided by State == Open only.</item>
    /// <item>Received text frames wait in a bounded <see cref="FrameQueue"/> filled by the receive thread.</item>
    /// </list>
    /// </summary>
    public sealed class WebSocketTransport : ILinkTransport
    {
        private readonly object _lock = new object();
        private readonly int _keepAliveSeconds;
        private readonly int _serverTimeoutSeconds;
        private readonly int _maxFrameBytes;
        private readonly FrameQueue _received;
        private readonly WifiConnector _wifi;
        private readonly FirmwareLog _log;
        private ClientWebSocket _socket;
        private LinkState _state = LinkState.Closed;
        private int _attempt;
        private int _skippedFrames;

        /// <summary>Creates a closed transport. <paramref name="wifi"/> may be null (then Wi-Fi is assumed up).</summary>
        public WebSocketTransport(int keepAliveSeconds, int serverTimeoutSeconds, int maxFrameBytes, int receiveQueueCapacity, WifiConnector wifi, FirmwareLog log)
        {
            _keepAliveSeconds = keepAliveSeconds;
            _serverTimeoutSeconds = serverTimeoutSeconds;
            _maxFrameBytes = maxFrameBytes;
            _received = new FrameQueue(receiveQueueCapacity);
            _wifi = wifi;
            _log = log;
        }

        /// <summary>The state now; an open socket that the library closed (ping timeout, server close) reads as Closed.</summary>
        public LinkState State
        {
            get
            {
                lock (_lock)
                {
                    RefreshStateLocked();
                    return _state;
                }
            }
        }

        /// <summary>Received frames dropped because the queue was full.</summary>
        public int DroppedFrames
        {
            get { lock (_lock) { return _received.Dropped; } }
        }

        /// <summary>Binary or fragmented frames ignored (the protocol uses small unfragmented text frames).</summary>
        public int SkippedFrames
        {
            get { lock (_lock) { return _skippedFrames; } }
        }

        /// <summary>Starts one connection attempt in the background; ignored while one is running or open.</summary>
        public void Connect(string url)
        {
            int attempt;
            lock (_lock)
            {
                RefreshStateLocked();
                if (_state != LinkState.Closed)
                {
                    return;
                }

                if (_wifi != null && !_wifi.IsReady)
                {
                    // Nothing to try yet; the core backs off and asks again.
                    return;
                }

                DisposeSocketLocked();
                _received.Clear();
                _state = LinkState.Connecting;
                _attempt++;
                attempt = _attempt;
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

        /// <summary>The oldest received text frame, or null.</summary>
        public string Receive()
        {
            lock (_lock)
            {
                return _received.Dequeue();
            }
        }

        /// <summary>Closes and disposes the socket; a running attempt is abandoned (its socket disposed when it ends).</summary>
        public void Disconnect()
        {
            lock (_lock)
            {
                _attempt++;
                if (_socket != null)
                {
                    try
                    {
                        _socket.Close(WebSocketCloseStatus.NormalClosure, "bye");
                    }
                    catch
                    {
                        // Already closed underneath: disposing is all that is left.
                    }
                }

                DisposeSocketLocked();
                _received.Clear();
                _state = LinkState.Closed;
            }
        }

        private void ConnectWorker(string url, int attempt)
        {
            ClientWebSocket socket = null;
            string failure = null;
            try
            {
                var options = new ClientWebSocketOptions();
                options.KeepAliveInterval = TimeSpan.FromSeconds(_keepAliveSeconds);
                options.ServerTimeout = TimeSpan.FromSeconds(_serverTimeoutSeconds);
                options.MaxReceiveFrameSize = _maxFrameBytes;

                socket = new ClientWebSocket(options);
                if (url.StartsWith("wss://"))
                {
                    // The server's CA certificate is stored on the board with nanoff --networkdeployment.
                    socket.UseStoredDeviceCertificate = true;
                }

                socket.MessageReceived += OnMessageReceived;
                socket.ConnectionClosed += OnConnectionClosed;
                socket.Connect(url);
            }
            catch (Exception ex)
            {
                failure = ex.Message;
            }

            bool open = socket != null && failure == null && socket.State == WebSocketState.Open;
            lock (_lock)
            {
                if (attempt != _attempt)
                {
                    // Disconnect() was called meanwhile: this socket is nobody's.
                    DisposeQuietly(socket);
                    return;
                }

                if (open)
                {
                    _socket = socket;
                    _state = LinkState.Open;
                }
                else
                {
                    DisposeQuietly(socket);
                    _state = LinkState.Closed;
                }
            }

            if (open)
            {
                _log.Info("link", "connected attempt=" + attempt);
            }
            else
            {
                _log.Warn("link", "connect failed attempt=" + attempt + ": "
                    + (failure != null ? failure : "state=" + (socket == null ? -1 : (int)socket.State) + " (server down, wrong port, or TLS refused)"));
            }
        }

        private void OnMessageReceived(object sender, MessageReceivedEventArgs e)
        {
            // Runs on the library's receive thread: decode, queue, return.
            try
            {
                ReceiveMessageFrame frame = e.Frame;
                if (frame == null || frame.MessageType != WebSocketMessageType.Text || frame.IsFragmented || frame.Buffer == null)
                {
                    // The library does not reassemble fragments; the server sends small unfragmented text frames.
                    lock (_lock)
                    {
                        _skippedFrames++;
                    }

                    return;
                }

                string text = Encoding.UTF8.GetString(frame.Buffer, 0, frame.MessageLength);
                lock (_lock)
                {
                    if (sender == _socket)
                    {
                        _received.Enqueue(text);
                    }
                }
            }
            catch
            {
                // A frame that cannot be decoded is lost; the connection carries on.
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            lock (_lock)
            {
                if (sender == _socket)
                {
                    // Disposed later, by Connect or Disconnect, not on the library's own thread.
                    _state = LinkState.Closed;
                }
            }
        }

        // The library closes a socket on its own threads (ping timeout, server close, send error): State is the
        // truth, the ConnectionClosed event only a hint.
        private void RefreshStateLocked()
        {
            if (_state == LinkState.Open && (_socket == null || _socket.State != WebSocketState.Open))
            {
                _state = LinkState.Closed;
            }
        }

        private void DisposeSocketLocked()
        {
            ClientWebSocket old = _socket;
            _socket = null;
            DisposeQuietly(old);
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
                // Dispose closes a TCP socket that a failed DNS lookup never created.
            }
        }
    }
}
