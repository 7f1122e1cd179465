using System;
using System.Net.Http;
using System.Net.WebSockets;

namespace Irrigation.Tests.Support
{
    /// <summary>How <see cref="TestController.ConnectAsync(Uri, string, string, TestControllerOptions)"/> connects and listens.</summary>
    public sealed class TestControllerOptions
    {
        /// <summary>Boot id of the hello (0: a random one, as a real board after power-up).</summary>
        public long Boot { get; init; }

        /// <summary>The zones the hello announces.</summary>
        public string[] Zones { get; init; } = [];

        /// <summary>
        /// Keep every received frame as JSON (for <c>Socket.Frames</c> and <c>WaitAckAsync</c>). False for load: the
        /// acks then only reach <see cref="OnAck"/> and <see cref="TestController.HighestAck"/>.
        /// </summary>
        public bool KeepFrames { get; init; } = true;

        /// <summary>Called on the reader's thread with each ack's cumulative seq (keep it short).</summary>
        public Action<long>? OnAck { get; init; }

        /// <summary>Connects through this handler (e.g. <see cref="TestSocket.BoundTo"/> for another source address).</summary>
        public HttpMessageInvoker? Invoker { get; init; }

        /// <summary>Changes the WebSocket's options (keepalive…) before it connects.</summary>
        public Action<ClientWebSocketOptions>? Configure { get; init; }
    }
}
