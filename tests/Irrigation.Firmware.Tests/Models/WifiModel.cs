// BEHAVIOURAL MODEL of nanoFramework.System.Device.Wifi 1.5.147 (and NetworkHelperStatus of System.Net 1.11.54).
// Imitates nanoframework/System.Device.Wifi@v1.5.147 (282a906):
//   System.Device.Wifi/WifiAdapter.cs  every constructed adapter is added to the static WifiEventListener's list
//       (s_eventListener.AddAdapter(this)); only Dispose() removes it (DisposeNative is a no-op on the ESP32:
//       nanoframework/nf-interpreter targets/ESP32/_nanoCLR/System.Device.Wifi/
//       sys_dev_wifi_native_System_Device_Wifi_WifiAdapter.cpp); FindAllAdapters() constructs new adapters.
//   System.Device.Wifi/WifiEventListener.cs  the ArrayList WifiAdapters is never cleared.
//   System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs  ConnectDhcp (ScanAndConnect) and Reconnect both start
//       with _wifi = WifiAdapter.FindAllAdapters()[wifiAdapterId]; WifiAdapter returns that _wifi; a wait that
//       the token ends sets Status = TokenExpiredWaitingIPAddress (System.Net NetworkHelper.cs).
// and nanoframework/System.Net@v1.11.54 nanoFramework.System.Net/NetworkHelper/NetworkHelperStatus.cs (member order).
using System;
using System.Collections;
using System.Device.Wifi;
using System.Threading;
using Irrigation.Firmware.Tests.Models;
using nanoFramework.Networking;

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        /// <summary>About what one adapter keeps alive on the device (object, lock object, event field).</summary>
        public const int ApproximateBytes = 100;

        // WifiEventListener.WifiAdapters: a static list that only Dispose() shrinks (one per model board).
        private readonly ArrayList _listenerAdapters;
        private bool _disposed;

        internal WifiAdapter(int networkInterface)
        {
            NetworkInterface = networkInterface;
            _listenerAdapters = ModelWifi.ListenerAdapters;
            lock (_listenerAdapters)
            {
                _listenerAdapters.Add(this);
            }
        }

        public int NetworkInterface { get; }

        /// <summary>Adapters the static listener keeps alive right now.</summary>
        public static int RetainedCount
        {
            get
            {
                ArrayList adapters = ModelWifi.ListenerAdapters;
                lock (adapters)
                {
                    return adapters.Count;
                }
            }
        }

        public static WifiAdapter[] FindAllAdapters()
        {
            return new WifiAdapter[] { new WifiAdapter(0) };
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (_listenerAdapters)
            {
                _listenerAdapters.Remove(this);
            }
        }
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status => ModelWifi.Board.Status;

        public static Exception HelperException => null;

        public static System.Device.Wifi.WifiAdapter WifiAdapter => ModelWifi.Board.Adapter;

        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default)
        {
            Interlocked.Increment(ref ModelWifi.Board.CredentialWrites);
            return Attempt(wifiAdapterId, token);
        }

        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default)
        {
            return Attempt(wifiAdapterId, token);
        }

        private static bool Attempt(int wifiAdapterId, CancellationToken token)
        {
            ModelWifi.State board = ModelWifi.Board;
            board.Adapter = System.Device.Wifi.WifiAdapter.FindAllAdapters()[wifiAdapterId];
            int attempt = Interlocked.Increment(ref board.Attempts);
            if (board.SucceedFromAttempt > 0 && attempt >= board.SucceedFromAttempt)
            {
                board.Status = NetworkHelperStatus.NetworkIsReady;
                return true;
            }

            if (board.WaitForToken)
            {
                token.WaitHandle.WaitOne();
            }

            board.Status = NetworkHelperStatus.TokenExpiredWaitingIPAddress;
            return false;
        }
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>What the model access point does (one per model board).</summary>
    public static class ModelWifi
    {
        internal static State Board => ModelBoard.Current.Wifi;

        internal static ArrayList ListenerAdapters => Board.ListenerAdapters;

        /// <summary>Attempts (ConnectDhcp + Reconnect) so far.</summary>
        public static int Attempts => Volatile.Read(ref Board.Attempts);

        /// <summary>ConnectDhcp calls (each writes the credentials to flash on the device).</summary>
        public static int CredentialWrites => Volatile.Read(ref Board.CredentialWrites);

        /// <summary>The attempt from which the network answers (0: never).</summary>
        public static int SucceedFromAttempt { get => Board.SucceedFromAttempt; set => Board.SucceedFromAttempt = value; }

        /// <summary>True: a failing attempt waits for its token like the real helper; false: it fails at once.</summary>
        public static bool WaitForToken { get => Board.WaitForToken; set => Board.WaitForToken = value; }

        /// <summary>One board's access point, helper and adapter list.</summary>
        internal sealed class State
        {
            public readonly ArrayList ListenerAdapters = new ArrayList();
            public int Attempts;
            public int CredentialWrites;
            public volatile int SucceedFromAttempt;
            public volatile bool WaitForToken;
            public volatile WifiAdapter Adapter;
            public volatile NetworkHelperStatus Status = NetworkHelperStatus.None;
        }
    }
}
