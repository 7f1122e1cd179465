// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.Net.WebSockets.Client 1.1.167 (nanoframework/System.Net.WebSockets@v1.1.167).
// Two details apidiff cannot see and this file keeps as the real source has them: WebSocket.State is ABSTRACT
// (WebSockets/WebSocket.cs), and the MessageReceived event's type is the delegate NESTED in WebSocket, not the
// namespace-level one of the same name (WebSockets/ClientWebSocket/ClientWebSocket.cs declares both).
using System;
using System.Net.Security;
using System.Net.WebSockets.WebSocketFrame;

namespace System.Net.WebSockets
{
    public delegate void MessageReceivedEventHandler(object sender, MessageReceivedEventArgs e);

    public abstract class WebSocket : IDisposable
    {
        protected WebSocket(WebSocketOptions options = null) => throw new NotImplementedException();

        public delegate void MessageReceivedEventHandler(object sender, MessageReceivedEventArgs e);

        public abstract WebSocketState State { get; set; }

        public event EventHandler ConnectionClosed;

        public event MessageReceivedEventHandler MessageReceived;

        public bool SendString(string message, int fragmentSize = -1) => throw new NotImplementedException();

        public void Close(WebSocketCloseStatus closeStatus = WebSocketCloseStatus.Empty, string statusDescription = null) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public class ClientWebSocket : WebSocket, IDisposable
    {
        public ClientWebSocket(ClientWebSocketOptions options = null) : base(options) => throw new NotImplementedException();

        public override WebSocketState State { get; set; }

        public void Connect(string uri, ClientWebSocketHeaders headers = null) => throw new NotImplementedException();

        public new void Dispose() => throw new NotImplementedException();
    }

    public class ClientWebSocketHeaders
    {
        public ClientWebSocketHeaders() => throw new NotImplementedException();
    }

    public class ClientWebSocketOptions : WebSocketOptions
    {
        public ClientWebSocketOptions() => throw new NotImplementedException();

        public SslVerification SslVerification { get; set; }
    }

    public class MessageReceivedEventArgs : EventArgs
    {
        public MessageReceivedEventArgs() => throw new NotImplementedException();

        public ReceiveMessageFrame Frame { get; set; }
    }

    public class MessageFrame
    {
        public MessageFrame() => throw new NotImplementedException();

        public WebSocketMessageType MessageType => throw new NotImplementedException();
    }

    public class ReceiveMessageFrame : MessageFrame
    {
        public ReceiveMessageFrame() => throw new NotImplementedException();

        public byte[] Buffer { get; set; }

        public int MessageLength { get; set; }

        public bool IsFragmented => throw new NotImplementedException();
    }
}

namespace System.Net.WebSockets.WebSocketFrame
{
    public class WebSocketOptions
    {
        public WebSocketOptions() => throw new NotImplementedException();

        public TimeSpan KeepAliveInterval { get; set; }

        public TimeSpan ServerTimeout { get; set; }

        public int MaxReceiveFrameSize { get; set; }
    }
}
