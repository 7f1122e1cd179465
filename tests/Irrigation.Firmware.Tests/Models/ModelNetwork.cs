using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Threading;

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>What the model server does with the next TCP connection.</summary>
    public enum ServerBehaviour
    {
        /// <summary>Accepts and answers the WebSocket handshake.</summary>
        Answer,
        /// <summary>Refuses the TCP connection (the library swallows the SocketException: State = Closed).</summary>
        Refuse,
        /// <summary>Accepts TCP and never answers the handshake (a proxy that lost its upstream, a server under kill -STOP).</summary>
        Hang,
        /// <summary>Answers the handshake with something other than 101 (the library throws).</summary>
        BadHandshake,
    }

    /// <summary>
    /// The network a <see cref="ClientWebSocket"/> model sees: name resolution, the server's behaviour per
    /// connection, and the device's lwIP socket table (CONFIG_LWIP_MAX_SOCKETS=16, nanoframework/nf-interpreter
    /// targets/ESP32/_IDF/sdkconfig.default). Static, like the device's one network stack: tests run one at a
    /// time and call <see cref="Reset"/>, which releases every hung handshake so no thread is left behind.
    /// </summary>
    public static class ModelNetwork
    {
        /// <summary>lwIP's socket table size on the ESP32 builds.</summary>
        public const int MaxSockets = 16;

        private static readonly object s_lock = new object();
        private static readonly Queue<ServerBehaviour> s_script = new Queue<ServerBehaviour>();
        private static readonly List<ClientWebSocket> s_sockets = new List<ClientWebSocket>();
        private static readonly List<int> s_dnsThreads = new List<int>();
        private static Release s_release = new Release();
        private static ServerBehaviour s_default = ServerBehaviour.Answer;
        private static int s_openSockets;
        private static int s_peakSockets;
        private static int s_hungNow;
        private static string s_dnsFailure;

        /// <summary>Milliseconds the model's sender thread takes per frame.</summary>
        public static int SendDelayMs = 5;

        /// <summary>Period of the library's control timer (5000 ms in ReceiveAndControllThread.cs); tests shorten it.</summary>
        public static int ControlPeriodMs = 50;

        /// <summary>When false the server neither answers pings nor close frames (it hangs after the handshake).</summary>
        public static volatile bool ServerResponsive = true;

        /// <summary>Back to a healthy network with no sockets; hung handshakes are released (as refused) first.</summary>
        public static void Reset()
        {
            lock (s_lock)
            {
                s_release.Fire(ServerBehaviour.Refuse);
                s_release = new Release();
                s_script.Clear();
                s_default = ServerBehaviour.Answer;
                s_sockets.Clear();
                s_dnsThreads.Clear();
                s_openSockets = 0;
                s_peakSockets = 0;
                s_hungNow = 0;
                s_dnsFailure = null;
                ServerResponsive = true;
                SendDelayMs = 5;
                ControlPeriodMs = 50;
            }
        }

        /// <summary>The server's behaviour for every connection not scripted by <see cref="Script"/>.</summary>
        public static ServerBehaviour Default
        {
            get { lock (s_lock) { return s_default; } }
            set { lock (s_lock) { s_default = value; } }
        }

        /// <summary>The behaviours of the next connections, in order.</summary>
        public static void Script(params ServerBehaviour[] behaviours)
        {
            lock (s_lock)
            {
                foreach (var b in behaviours)
                {
                    s_script.Enqueue(b);
                }
            }
        }

        /// <summary>The server resumes (kill -CONT): every hung handshake completes as <paramref name="outcome"/>.</summary>
        public static void ReleaseHung(ServerBehaviour outcome = ServerBehaviour.Answer)
        {
            lock (s_lock)
            {
                s_release.Fire(outcome);
                s_release = new Release();
            }
        }

        /// <summary>Name resolution fails with this message (null: every name resolves).</summary>
        public static string DnsFailure
        {
            get { lock (s_lock) { return s_dnsFailure; } }
            set { lock (s_lock) { s_dnsFailure = value; } }
        }

        /// <summary>Sockets open now (TCP connected or connecting).</summary>
        public static int OpenSockets
        {
            get { lock (s_lock) { return s_openSockets; } }
        }

        /// <summary>Most sockets open at once since <see cref="Reset"/>.</summary>
        public static int PeakSockets
        {
            get { lock (s_lock) { return s_peakSockets; } }
        }

        /// <summary>Handshakes blocked right now.</summary>
        public static int HungNow
        {
            get { lock (s_lock) { return s_hungNow; } }
        }

        /// <summary>Every ClientWebSocket that called Connect, oldest first.</summary>
        public static ClientWebSocket[] Sockets
        {
            get { lock (s_lock) { return s_sockets.ToArray(); } }
        }

        /// <summary>The managed thread ids that resolved a host name (Dns.GetHostEntry inside Connect).</summary>
        public static int[] DnsThreads
        {
            get { lock (s_lock) { return s_dnsThreads.ToArray(); } }
        }

        internal static void Register(ClientWebSocket socket)
        {
            lock (s_lock)
            {
                s_sockets.Add(socket);
            }
        }

        internal static void Resolve(string host)
        {
            string failure;
            lock (s_lock)
            {
                failure = s_dnsFailure;
                if (!IsIpLiteral(host))
                {
                    s_dnsThreads.Add(Environment.CurrentManagedThreadId);
                }
            }

            if (failure != null && !IsIpLiteral(host))
            {
                // Dns.GetHostEntry is called outside Connect's try block: the exception reaches the caller.
                throw new System.Net.Sockets.SocketException(11001);
            }
        }

        internal static bool IsIpLiteral(string host)
        {
            return System.Net.IPAddress.TryParse(host, out _);
        }

        internal static void OpenSocket()
        {
            lock (s_lock)
            {
                if (s_openSockets >= MaxSockets)
                {
                    // new Socket() is outside Connect's try block too: lwIP's "no socket" reaches the caller.
                    throw new System.Net.Sockets.SocketException(10024);
                }

                s_openSockets++;
                s_peakSockets = Math.Max(s_peakSockets, s_openSockets);
            }
        }

        internal static void CloseSocket()
        {
            lock (s_lock)
            {
                s_openSockets--;
            }
        }

        internal static ServerBehaviour NextBehaviour()
        {
            lock (s_lock)
            {
                return s_script.Count > 0 ? s_script.Dequeue() : s_default;
            }
        }

        /// <summary>Blocks like a handshake read on a socket with no timeout; returns how the server finally answered.</summary>
        internal static ServerBehaviour WaitWhileHung()
        {
            Release release;
            lock (s_lock)
            {
                release = s_release;
                s_hungNow++;
            }

            release.Event.Wait();
            lock (s_lock)
            {
                s_hungNow--;
            }

            return release.Outcome;
        }

        private sealed class Release
        {
            public readonly ManualResetEventSlim Event = new ManualResetEventSlim(false);
            public ServerBehaviour Outcome;

            public void Fire(ServerBehaviour outcome)
            {
                Outcome = outcome;
                Event.Set();
            }
        }
    }
}
