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
    /// connection, its TLS certificate and the board's CA store, and the device's lwIP socket table
    /// (CONFIG_LWIP_MAX_SOCKETS=16, nanoframework/nf-interpreter targets/ESP32/_IDF/sdkconfig.default). One per
    /// model board (<see cref="ModelBoard"/>); switching the board off lets every hung handshake go and stops
    /// every socket's library threads.
    /// </summary>
    public static class ModelNetwork
    {
        /// <summary>lwIP's socket table size on the ESP32 builds.</summary>
        public const int MaxSockets = 16;

        private static State S => ModelBoard.Current.Network;

        /// <summary>Milliseconds the model's sender thread takes per frame.</summary>
        public static int SendDelayMs { get => S.SendDelayMs; set => S.SendDelayMs = value; }

        /// <summary>Period of the library's control timer (5000 ms in ReceiveAndControllThread.cs); tests shorten it.</summary>
        public static int ControlPeriodMs { get => S.ControlPeriodMs; set => S.ControlPeriodMs = value; }

        /// <summary>When false the server neither answers pings nor close frames (it hangs after the handshake).</summary>
        public static bool ServerResponsive { get => S.ServerResponsive; set => S.ServerResponsive = value; }

        /// <summary>The server's behaviour for every connection not scripted by <see cref="Script"/>.</summary>
        public static ServerBehaviour Default
        {
            get { State s = S; lock (s.Lock) { return s.Default; } }
            set { State s = S; lock (s.Lock) { s.Default = value; } }
        }

        /// <summary>The CA the model server's TLS certificate chains to (what nanoff-flash.ps1 -CaCertificate would be given).</summary>
        public const string ServerCa = "CN=Irrigation Test CA";

        /// <summary>The CA that signed the certificate the server presents on wss:// (<see cref="ServerCa"/> unless a test changes it).</summary>
        public static string ServerCertificateIssuer
        {
            get { State s = S; lock (s.Lock) { return s.ServerIssuer; } }
            set { State s = S; lock (s.Lock) { s.ServerIssuer = value; } }
        }

        /// <summary>
        /// The board's CA root bundle as nanoff --networkdeployment writes it (CACertificates): the CA it holds, or
        /// null on a board where none was deployed (the store is empty on a fresh or mass-erased board).
        /// </summary>
        public static string DeviceCaStore
        {
            get { State s = S; lock (s.Lock) { return s.DeviceCa; } }
            set { State s = S; lock (s.Lock) { s.DeviceCa = value; } }
        }

        /// <summary>
        /// A garbage collection: sockets the firmware disposed and dropped are finalized, and a TCP socket the
        /// library left open is closed (nanoFramework.Runtime.Native.GC.Run).
        /// </summary>
        internal static void Collect()
        {
            foreach (ClientWebSocket socket in Sockets)
            {
                socket.Finalized();
            }
        }

        /// <summary>The behaviours of the next connections, in order.</summary>
        public static void Script(params ServerBehaviour[] behaviours)
        {
            State s = S;
            lock (s.Lock)
            {
                foreach (var b in behaviours)
                {
                    s.Script.Enqueue(b);
                }
            }
        }

        /// <summary>The server resumes (kill -CONT): every hung handshake completes as <paramref name="outcome"/>.</summary>
        public static void ReleaseHung(ServerBehaviour outcome = ServerBehaviour.Answer)
        {
            State s = S;
            lock (s.Lock)
            {
                s.Release.Fire(outcome);
                s.Release = new Release();
            }
        }

        /// <summary>Name resolution fails with this message (null: every name resolves).</summary>
        public static string DnsFailure
        {
            get { State s = S; lock (s.Lock) { return s.DnsFailure; } }
            set { State s = S; lock (s.Lock) { s.DnsFailure = value; } }
        }

        /// <summary>Sockets open now (TCP connected or connecting).</summary>
        public static int OpenSockets
        {
            get { State s = S; lock (s.Lock) { return s.OpenSockets; } }
        }

        /// <summary>Most sockets open at once since the board was switched on.</summary>
        public static int PeakSockets
        {
            get { State s = S; lock (s.Lock) { return s.PeakSockets; } }
        }

        /// <summary>Handshakes blocked right now.</summary>
        public static int HungNow
        {
            get { State s = S; lock (s.Lock) { return s.HungNow; } }
        }

        /// <summary>Every ClientWebSocket that called Connect, oldest first.</summary>
        public static ClientWebSocket[] Sockets
        {
            get { State s = S; lock (s.Lock) { return s.Sockets.ToArray(); } }
        }

        /// <summary>The managed thread ids that resolved a host name (Dns.GetHostEntry inside Connect).</summary>
        public static int[] DnsThreads
        {
            get { State s = S; lock (s.Lock) { return s.DnsThreads.ToArray(); } }
        }

        internal static void Register(ClientWebSocket socket)
        {
            State s = S;
            lock (s.Lock)
            {
                s.Sockets.Add(socket);
            }
        }

        internal static void Resolve(string host)
        {
            State s = S;
            string failure;
            lock (s.Lock)
            {
                failure = s.DnsFailure;
                if (!IsIpLiteral(host))
                {
                    s.DnsThreads.Add(Environment.CurrentManagedThreadId);
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
            State s = S;
            lock (s.Lock)
            {
                if (s.OpenSockets >= MaxSockets)
                {
                    // new Socket() is outside Connect's try block too: lwIP's "no socket" reaches the caller.
                    throw new System.Net.Sockets.SocketException(10024);
                }

                s.OpenSockets++;
                s.PeakSockets = Math.Max(s.PeakSockets, s.OpenSockets);
            }
        }

        internal static void CloseSocket()
        {
            State s = S;
            lock (s.Lock)
            {
                s.OpenSockets--;
            }
        }

        internal static ServerBehaviour NextBehaviour()
        {
            State s = S;
            lock (s.Lock)
            {
                return s.Script.Count > 0 ? s.Script.Dequeue() : s.Default;
            }
        }

        /// <summary>Blocks like a handshake read on a socket with no timeout; returns how the server finally answered.</summary>
        internal static ServerBehaviour WaitWhileHung()
        {
            State s = S;
            Release release;
            lock (s.Lock)
            {
                release = s.Release;
                s.HungNow++;
            }

            release.Event.Wait();
            lock (s.Lock)
            {
                s.HungNow--;
            }

            // A board switched off meanwhile parks this thread here (ModelBoard.Current).
            _ = ModelBoard.Current;
            return release.Outcome;
        }

        /// <summary>One board's network.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            public readonly Queue<ServerBehaviour> Script = new Queue<ServerBehaviour>();
            public readonly List<ClientWebSocket> Sockets = new List<ClientWebSocket>();
            public readonly List<int> DnsThreads = new List<int>();
            public Release Release = new Release();
            public string ServerIssuer = ServerCa;
            public string DeviceCa;
            public ServerBehaviour Default = ServerBehaviour.Answer;
            public int OpenSockets;
            public int PeakSockets;
            public int HungNow;
            public string DnsFailure;
            public volatile int SendDelayMs = 5;
            public volatile int ControlPeriodMs = 50;
            public volatile bool ServerResponsive = true;

            /// <summary>The board is off: hung handshakes end, every socket's library threads and timer stop.</summary>
            public void SwitchOff()
            {
                ClientWebSocket[] sockets;
                lock (Lock)
                {
                    Release.Fire(ServerBehaviour.Refuse);
                    sockets = Sockets.ToArray();
                }

                foreach (ClientWebSocket socket in sockets)
                {
                    socket.Halt();
                }
            }
        }

        internal sealed class Release
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
