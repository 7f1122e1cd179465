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

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        /// <summary>About what one adapter keeps alive on the device (object, lock object, event field).</summary>
        public const int ApproximateBytes = 100;

        // WifiEventListener.WifiAdapters: a static list that only Dispose() shrinks.
        private static readonly ArrayList s_listenerAdapters = new ArrayList();
        private bool _disposed;

        internal WifiAdapter(int networkInterface)
        {
            NetworkInterface = networkInterface;
            lock (s_listenerAdapters)
            {
                s_listenerAdapters.Add(this);
            }
        }

        public int NetworkInterface { get; }

        /// <summary>Adapters the static listener keeps alive right now.</summary>
        public static int RetainedCount
        {
            get { lock (s_listenerAdapters) { return s_listenerAdapters.Count; } }
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
            lock (s_listenerAdapters)
            {
                s_listenerAdapters.Remove(this);
            }
        }

        internal static void ResetModel()
        {
            lock (s_listenerAdapters)
            {
                s_listenerAdapters.Clear();
            }
        }
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        private static WifiAdapter s_wifi;
        private static NetworkHelperStatus s_status = NetworkHelperStatus.None;

        public static NetworkHelperStatus Status => s_status;

        public static Exception HelperException => null;

        public static System.Device.Wifi.WifiAdapter WifiAdapter => s_wifi;

        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default)
        {
            ModelWifi.CredentialWrites++;
            return Attempt(wifiAdapterId, token);
        }

        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default)
        {
            return Attempt(wifiAdapterId, token);
        }

        private static bool Attempt(int wifiAdapterId, CancellationToken token)
        {
            s_wifi = System.Device.Wifi.WifiAdapter.FindAllAdapters()[wifiAdapterId];
            int attempt = Interlocked.Increment(ref ModelWifi.Attempts);
            if (ModelWifi.SucceedFromAttempt > 0 && attempt >= ModelWifi.SucceedFromAttempt)
            {
                s_status = NetworkHelperStatus.NetworkIsReady;
                return true;
            }

            if (ModelWifi.WaitForToken)
            {
                token.WaitHandle.WaitOne();
            }

            s_status = NetworkHelperStatus.TokenExpiredWaitingIPAddress;
            return false;
        }

        internal static void ResetModel()
        {
            s_wifi = null;
            s_status = NetworkHelperStatus.None;
        }
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>What the model access point does.</summary>
    public static class ModelWifi
    {
        /// <summary>Attempts (ConnectDhcp + Reconnect) so far.</summary>
        public static int Attempts;

        /// <summary>ConnectDhcp calls (each writes the credentials to flash on the device).</summary>
        public static int CredentialWrites;

        /// <summary>The attempt from which the network answers (0: never).</summary>
        public static int SucceedFromAttempt;

        /// <summary>True: a failing attempt waits for its token like the real helper; false: it fails at once.</summary>
        public static bool WaitForToken;

        public static void Reset()
        {
            Attempts = 0;
            CredentialWrites = 0;
            SucceedFromAttempt = 0;
            WaitForToken = false;
            System.Device.Wifi.WifiAdapter.ResetModel();
            nanoFramework.Networking.WifiNetworkHelper.ResetModel();
        }
    }
}
