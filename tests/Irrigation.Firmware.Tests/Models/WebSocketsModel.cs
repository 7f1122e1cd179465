// BEHAVIOURAL MODEL of nanoFramework.System.Net.WebSockets.Client 1.1.167 for the host tests.
// Imitates nanoframework/System.Net.WebSockets@v1.1.167 (94fbff2):
//   WebSockets/ClientWebSocket/ClientWebSocket.cs  Connect: State=Connecting; Dns.GetHostEntry and new Socket()
//       outside the try (their exceptions reach the caller); a SocketException inside is swallowed (socket closed,
//       State=Closed, Connect returns); any other exception (a refused certificate, a bad handshake "WebSocket did
//       not receive right handshake") leaves Connect with the TCP socket still open (only its finalizer closes it:
//       nanoframework/System.Net Sockets/Socket.cs ~Socket); the handshake read has no timeout; wss:// goes through
//       SslStream.AuthenticateAsClient (see VerifyServerCertificate); every Connect subscribes ConnectionClosed.
//   WebSockets/WebSocket.cs  State is abstract; the MessageReceived event's type is the NESTED
//       WebSocket.MessageReceivedEventHandler; Close() queues a close frame (CloseSent) and returns, or waits for
//       it with EndpointUnavailable; Dispose() on a socket that is not Closed calls HardClose(), which sets
//       Closed, stops the sender (a NullReferenceException before the connection opened: no sender yet),
//       raises ConnectionClosed and closes the TCP socket.
//   WebSockets/ReceiveAndControllThread.cs  handlers run on the receive thread; a 5 s timer pings after
//       KeepAliveInterval, closes with "Ping timeout" after ServerTimeout without pong, hard-closes a CloseSent
//       socket after ServerTimeout, and raises ConnectionClosed from the timer thread.
//   WebSockets/WebSocketReceiver.cs  ReadFixedSizeBuffer loops while Read() returns 0 (peer vanished without a
//       close frame) until the socket is closed underneath it.
//   WebSockets/WebSocketSender.cs  one sender thread drains the queue; StopSender drops what is still queued.
using System;
using System.Collections.Generic;
using System.Net.WebSockets.WebSocketFrame;
using System.Threading;
using Irrigation.Firmware.Tests.Models;

namespace System.Net.WebSockets
{
    /// <summary>The namespace-level delegate of ClientWebSocket.cs (not the one the event uses).</summary>
    public delegate void MessageReceivedEventHandler(object sender, MessageReceivedEventArgs e);

    public abstract class WebSocket : IDisposable
    {
        private readonly object _sync = new object();
        private readonly Queue<SentFrame> _sendQueue = new Queue<SentFrame>();
        private readonly List<SentFrame> _sent = new List<SentFrame>();
        private readonly List<SentFrame> _dropped = new List<SentFrame>();
        private readonly Queue<string> _incoming = new Queue<string>();
        private Thread _senderThread;
        private Thread _receiveThread;
        private Timer _controlTimer;
        private bool _senderStopped;
        private bool _stopped;
        private bool _tcpClosed;
        private bool _vanished;
        private bool _pinging;
        private DateTime _pingTime;
        private DateTime _closingTime;
        private DateTime _lastContact;
        private int _emptyReads;
        private int _delivered;

        /// <summary>The nested delegate type the real MessageReceived event is declared with.</summary>
        public delegate void MessageReceivedEventHandler(object sender, MessageReceivedEventArgs e);

        protected WebSocket(WebSocketOptions options = null)
        {
            ServerTimeout = new TimeSpan(0, 0, 60);
            KeepAliveInterval = new TimeSpan(0, 0, 30);
            MaxReceiveFrameSize = int.MaxValue;
            if (options != null)
            {
                ServerTimeout = options.ServerTimeout;
                KeepAliveInterval = options.KeepAliveInterval;
                MaxReceiveFrameSize = options.MaxReceiveFrameSize;
            }
        }

        public TimeSpan ServerTimeout { get; private set; }

        public TimeSpan KeepAliveInterval { get; private set; }

        public int MaxReceiveFrameSize { get; private set; }

        public abstract WebSocketState State { get; set; }

        public event EventHandler ConnectionClosed;

        public event MessageReceivedEventHandler MessageReceived;

        // ---- what the tests look at ------------------------------------------------------------------------

        /// <summary>Frames the sender thread wrote, in order.</summary>
        public SentFrame[] SentFrames { get { lock (_sync) { return _sent.ToArray(); } } }

        /// <summary>Frames still queued when the sender was stopped (lost).</summary>
        public SentFrame[] DroppedFrames { get { lock (_sync) { return _dropped.ToArray(); } } }

        /// <summary>True once the TCP socket was closed.</summary>
        public bool TcpClosed { get { lock (_sync) { return _tcpClosed; } } }

        /// <summary>Reads that returned 0 bytes on the receive thread.</summary>
        public int EmptyReads { get { lock (_sync) { return _emptyReads; } } }

        /// <summary>Text frames handed to the MessageReceived handlers (handler returned).</summary>
        public int DeliveredFrames { get { lock (_sync) { return _delivered; } } }

        /// <summary>True while the library's receive thread runs.</summary>
        public bool ReceiveThreadAlive { get { var t = _receiveThread; return t != null && t.IsAlive; } }

        /// <summary>The server sends one text frame.</summary>
        public void ServerSends(string text)
        {
            lock (_sync)
            {
                _incoming.Enqueue(text);
                Monitor.PulseAll(_sync);
            }
        }

        /// <summary>The peer vanishes without a close frame: every Read() returns 0 from now on.</summary>
        public void PeerVanishes()
        {
            lock (_sync)
            {
                _vanished = true;
                Monitor.PulseAll(_sync);
            }

            ModelNetwork.ServerResponsive = false;
        }

        /// <summary>
        /// The library's timer finds a ping unanswered for ServerTimeout: on the calling thread (the timer's) it
        /// sends the close frame, waits for the sender, hard-closes and raises ConnectionClosed.
        /// </summary>
        public void TimerClosesForPingTimeout()
        {
            State = WebSocketState.CloseSent;
            _closingTime = DateTime.UtcNow;
            RawClose(WebSocketCloseStatus.PolicyViolation, true);
        }

        // ---- the library's behaviour ------------------------------------------------------------------------

        public bool SendString(string message, int fragmentSize = -1)
        {
            return QueueToSend(new SentFrame(false, message));
        }

        public void Close(WebSocketCloseStatus closeStatus = WebSocketCloseStatus.Empty, string statusDescription = null)
        {
            if (State != WebSocketState.Open)
            {
                return;
            }

            State = WebSocketState.CloseSent;
            _closingTime = DateTime.UtcNow;
            RawClose(closeStatus, closeStatus == WebSocketCloseStatus.EndpointUnavailable);
        }

        public void Abort()
        {
            State = WebSocketState.Aborted;
            HardClose();
        }

        public void Dispose()
        {
            if (State != WebSocketState.Closed)
            {
                HardClose();
            }
        }

        internal void Opened()
        {
            lock (_sync)
            {
                _lastContact = DateTime.UtcNow;
            }

            _senderThread = new Thread(SenderLoop) { IsBackground = true, Name = "ws-sender" };
            _senderThread.Start();
            State = WebSocketState.Open;
            _receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "ws-receive" };
            _receiveThread.Start();
            _controlTimer = new Timer(CheckTimeouts, null, ModelNetwork.ControlPeriodMs, ModelNetwork.ControlPeriodMs);
        }

        /// <summary>The board was switched off: the library's threads and timer end, nothing is raised or counted.</summary>
        internal void Halt()
        {
            lock (_sync)
            {
                _stopped = true;
                _senderStopped = true;
                _tcpClosed = true;
                Monitor.PulseAll(_sync);
            }

            _controlTimer?.Dispose();
        }

        internal void CloseTcp()
        {
            bool close;
            lock (_sync)
            {
                close = !_tcpClosed;
                _tcpClosed = true;
                Monitor.PulseAll(_sync);
            }

            if (close)
            {
                ModelNetwork.CloseSocket();
            }
        }

        internal void HardClose()
        {
            State = WebSocketState.Closed;
            lock (_sync)
            {
                _stopped = true;
                Monitor.PulseAll(_sync);
            }

            if (_senderThread == null)
            {
                // _webSocketSender.StopSender() on a socket that never opened.
                throw new NullReferenceException();
            }

            StopSender();
            ConnectionClosed?.Invoke(this, EventArgs.Empty);
            CloseTcp();
            _controlTimer?.Dispose();
        }

        private void RawClose(WebSocketCloseStatus status, bool immediately)
        {
            QueueToSend(new SentFrame(true, status.ToString()));
            if (immediately)
            {
                while (true)
                {
                    lock (_sync)
                    {
                        if (_sent.Exists(f => f.IsClose) || _senderStopped)
                        {
                            break;
                        }
                    }

                    Thread.Sleep(5);
                }

                HardClose();
            }
        }

        private bool QueueToSend(SentFrame frame)
        {
            if (State != WebSocketState.Open && !frame.IsClose)
            {
                return false;
            }

            lock (_sync)
            {
                if (_senderStopped)
                {
                    _dropped.Add(frame);
                    return true;
                }

                _sendQueue.Enqueue(frame);
                Monitor.PulseAll(_sync);
            }

            return true;
        }

        private void StopSender()
        {
            lock (_sync)
            {
                _senderStopped = true;
                while (_sendQueue.Count > 0)
                {
                    _dropped.Add(_sendQueue.Dequeue());
                }

                Monitor.PulseAll(_sync);
            }
        }

        private void SenderLoop()
        {
            while (true)
            {
                SentFrame frame;
                lock (_sync)
                {
                    while (_sendQueue.Count == 0 && !_senderStopped)
                    {
                        Monitor.Wait(_sync);
                    }

                    if (_senderStopped)
                    {
                        return;
                    }

                    frame = _sendQueue.Peek();
                }

                Thread.Sleep(ModelNetwork.SendDelayMs);
                lock (_sync)
                {
                    if (_senderStopped)
                    {
                        return;
                    }

                    _sendQueue.Dequeue();
                    _sent.Add(frame);
                }

                if (frame.IsClose && ModelNetwork.ServerResponsive)
                {
                    // The server answers the close frame; the receive thread sees it in state CloseSent and hard-closes.
                    ThreadPool.QueueUserWorkItem(_ => { Thread.Sleep(5); ServerClosed(); });
                }
            }
        }

        private void ServerClosed()
        {
            lock (_sync)
            {
                if (_stopped)
                {
                    return;
                }
            }

            try
            {
                HardClose();
            }
            catch (NullReferenceException)
            {
            }
        }

        private void ReceiveLoop()
        {
            while (true)
            {
                string text = null;
                lock (_sync)
                {
                    while (!_stopped && !_tcpClosed && _incoming.Count == 0 && !_vanished)
                    {
                        Monitor.Wait(_sync, 50);
                    }

                    if (_tcpClosed || (_stopped && _incoming.Count == 0))
                    {
                        // ReadFixedSizeBuffer on a closed socket throws: the thread ends.
                        return;
                    }

                    if (_vanished)
                    {
                        _emptyReads++;
                    }
                    else if (_incoming.Count > 0)
                    {
                        text = _incoming.Dequeue();
                        _lastContact = DateTime.UtcNow;
                    }
                }

                if (text == null)
                {
                    // while (size > 0) { bytes = Read(...) == 0 } spins; yield a little so the host stays usable.
                    Thread.Sleep(1);
                    continue;
                }

                byte[] bytes = Text.Encoding.UTF8.GetBytes(text);
                if (bytes.Length > MaxReceiveFrameSize)
                {
                    // DecodeHeader refuses the length before allocating; the receive thread closes with MessageTooBig.
                    State = WebSocketState.CloseSent;
                    RawClose(WebSocketCloseStatus.MessageTooBig, true);
                    return;
                }

                var frame = new ReceiveMessageFrame { Buffer = bytes, MessageLength = bytes.Length };
                MessageReceived?.Invoke(this, new MessageReceivedEventArgs { Frame = frame });
                lock (_sync)
                {
                    _delivered++;
                }
            }
        }

        private void CheckTimeouts(object state)
        {
            // The real timer suspends the receive thread for the duration of this callback (Thread.Suspend),
            // wherever it is; ConnectionClosed is raised from here, on the timer thread.
            bool pingTimeout;
            bool closeTimeout;
            bool ping;
            DateTime now = DateTime.UtcNow;
            lock (_sync)
            {
                if (_stopped)
                {
                    return;
                }

                pingTimeout = _pinging && _pingTime + ServerTimeout < now;
                closeTimeout = State == WebSocketState.CloseSent && _closingTime + ServerTimeout < now;
                ping = !_pinging && State == WebSocketState.Open && _lastContact + KeepAliveInterval < now;
            }

            try
            {
                if (pingTimeout && State == WebSocketState.Open)
                {
                    State = WebSocketState.CloseSent;
                    _closingTime = now;
                    RawClose(WebSocketCloseStatus.PolicyViolation, true);
                    return;
                }

                if (closeTimeout)
                {
                    HardClose();
                    return;
                }

                if (ping)
                {
                    lock (_sync)
                    {
                        _pinging = true;
                        _pingTime = now;
                    }

                    if (ModelNetwork.ServerResponsive)
                    {
                        lock (_sync)
                        {
                            _pinging = false;
                            _lastContact = DateTime.UtcNow;
                        }
                    }
                }
            }
            catch (NullReferenceException)
            {
            }
        }
    }

    /// <summary>One frame the sender thread wrote (or dropped).</summary>
    public sealed class SentFrame
    {
        public SentFrame(bool isClose, string text)
        {
            IsClose = isClose;
            Text = text;
        }

        public bool IsClose { get; }

        public string Text { get; }
    }

    public class ClientWebSocket : WebSocket, IDisposable
    {
        private WebSocketState _state = WebSocketState.Closed;
        private volatile bool _dropped;

        public ClientWebSocket(ClientWebSocketOptions options = null) : base(options)
        {
            Options = options;
        }

        /// <summary>The options this socket was created with (for the tests).</summary>
        public ClientWebSocketOptions Options { get; }

        public bool UseStoredDeviceCertificate { get; set; }

        /// <summary>True once Connect returned or threw (for the tests).</summary>
        public bool ConnectReturned { get; private set; }

        /// <summary>The managed thread that called Connect (for the tests).</summary>
        public int ConnectThreadId { get; private set; }

        public override WebSocketState State
        {
            get { return _state; }
            set { _state = value; }
        }

        public void Connect(string uri, ClientWebSocketHeaders headers = null)
        {
            ConnectThreadId = Environment.CurrentManagedThreadId;
            ModelNetwork.Register(this);
            try
            {
                ConnectCore(uri);
            }
            finally
            {
                ConnectReturned = true;
            }
        }

        private void ConnectCore(string uri)
        {
            State = WebSocketState.Connecting;
            string[] parts = uri.Split(new[] { ':', '/', '/' }, 4);
            if (parts.Length != 4 || (parts[0] != "ws" && parts[0] != "wss"))
            {
                throw new Exception("websocket url should start with 'ws://' or 'wss://'");
            }

            string host = parts[3].Split('/')[0].Split(':')[0];
            ModelNetwork.Resolve(host);
            ModelNetwork.OpenSocket();
            try
            {
                ServerBehaviour behaviour = ModelNetwork.NextBehaviour();
                if (behaviour == ServerBehaviour.Hang)
                {
                    // The TLS or HTTP handshake read, with no timeout.
                    behaviour = ModelNetwork.WaitWhileHung();
                }

                if (behaviour == ServerBehaviour.Refuse)
                {
                    throw new Sockets.SocketException(10061);
                }

                if (parts[0] == "wss")
                {
                    VerifyServerCertificate();
                }

                if (behaviour == ServerBehaviour.BadHandshake)
                {
                    // Not a SocketException: it leaves Connect, and the TCP socket stays open for the finalizer.
                    throw new Exception("WebSocket did not receive right handshake");
                }

                Opened();
            }
            catch (Sockets.SocketException)
            {
                CloseTcp();
                State = WebSocketState.Closed;
            }

            ConnectionClosed += (s, e) => CloseTcp();
        }

        // SslStream.AuthenticateAsClient(Host, SslProtocol) (System.Net Security/SslStream.cs): SecureClientInit loads
        // the device's CA store when it is not empty (nf-interpreter ssl_generic_init_internal.cpp; options.Certificate
        // would be added to it by SSL_AddCertificateAuthority) and asks mbedTLS to verify only for
        // CertificateRequired (any other value, VerifyPeer included, is MBEDTLS_SSL_VERIFY_NONE); SecureConnect turns
        // a failed verification into a CryptographicException (SslNative.cpp ThrowCryptographicError). The exception
        // leaves Connect: ClientWebSocket catches only SocketException, so its TCP socket stays open.
        private void VerifyServerCertificate()
        {
            Security.SslVerification verification = Options == null ? Security.SslVerification.CertificateRequired : Options.SslVerification;
            if (verification != Security.SslVerification.CertificateRequired)
            {
                return;
            }

            string store = ModelNetwork.DeviceCaStore;
            if (store == null || store != ModelNetwork.ServerCertificateIssuer)
            {
                throw new System.Security.Cryptography.CryptographicException();
            }
        }

        /// <summary>The GC found this socket unreachable (its owner disposed it and dropped it): Socket's finalizer closes the TCP socket.</summary>
        internal void Finalized()
        {
            if (_dropped)
            {
                CloseTcp();
            }
        }

        public new void Dispose()
        {
            // The firmware drops a socket once it disposed it: from then on only the finalizer reaches its TCP socket.
            _dropped = true;
            base.Dispose();
        }
    }

    public class ClientWebSocketHeaders
    {
    }

    public class ClientWebSocketOptions : WebSocketOptions
    {
        // ClientWebSocketOptions.cs: verification on by default; Certificate is a CA added to the store's.
        public Security.SslVerification SslVerification { get; set; } = Security.SslVerification.CertificateRequired;

        public System.Security.Cryptography.X509Certificates.X509Certificate Certificate { get; set; }
    }

    public class MessageReceivedEventArgs : EventArgs
    {
        public ReceiveMessageFrame Frame { get; set; }
    }

    public class MessageFrame
    {
        public WebSocketMessageType MessageType { get; set; }
    }

    public class ReceiveMessageFrame : MessageFrame
    {
        public byte[] Buffer { get; set; }

        public int MessageLength { get; set; }

        public bool IsFragmented { get; set; }
    }
}

namespace System.Net.WebSockets.WebSocketFrame
{
    public class WebSocketOptions
    {
        // WebSocketOptions.cs: an options object defaults to KeepAlive 60 s / ServerTimeout 30 s.
        public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(60);

        public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public int MaxReceiveFrameSize { get; set; } = int.MaxValue;
    }
}
