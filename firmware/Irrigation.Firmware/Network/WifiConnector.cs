using System;
using System.Device.Wifi;
using System.Threading;
using Irrigation.Firmware.Logging;
using nanoFramework.Networking;

namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// Joins the Wi-Fi network on a background thread so the controller irrigates (offline) from the first
    /// second. Each attempt is bounded by a <see cref="CancellationTokenSource"/>: without a token the helper
    /// waits forever for an IP address. Only the first attempt passes the credentials (the helper writes them
    /// to flash on every such call); retries reconnect with the stored ones. After the first success the
    /// ESP32 reconnects by itself (<see cref="WifiReconnectionKind.Automatic"/>); the link notices drops.
    /// The password is never logged.
    /// Both helper calls start with <c>WifiAdapter.FindAllAdapters()</c>, and every adapter it creates stays in a
    /// static list until disposed (nanoframework/System.Device.Wifi WifiNetworkHelper.cs, WifiAdapter.cs,
    /// WifiEventListener.cs): about 100 bytes per attempt, the whole heap in a few days without Wi-Fi. So the
    /// adapter of each attempt is disposed when the attempt ends (its native part is a no-op on the ESP32, and
    /// the automatic reconnection lives in native code).
    /// </summary>
    public sealed class WifiConnector
    {
        private readonly object _lock = new object();
        private readonly int _attemptTimeoutMs;
        private readonly int _retryDelayMs;
        private readonly FirmwareLog _log;
        private string _ssid;
        private string _password;
        private Thread _thread;
        private bool _ready;

        /// <summary>Creates an idle connector; <see cref="Start"/> begins.</summary>
        public WifiConnector(int attemptTimeoutMs, int retryDelayMs, FirmwareLog log)
        {
            _attemptTimeoutMs = attemptTimeoutMs;
            _retryDelayMs = retryDelayMs;
            _log = log;
        }

        /// <summary>True once a connection with an IP address has been made.</summary>
        public bool IsReady
        {
            get { lock (_lock) { return _ready; } }
        }

        /// <summary>Starts connecting in the background; returns at once. Calling it twice does nothing.</summary>
        public void Start(string ssid, string password)
        {
            if (_thread != null)
            {
                return;
            }

            _ssid = ssid;
            _password = password;
            _thread = new Thread(Run);
            _thread.Start();
        }

        private void Run()
        {
            int attempt = 0;
            while (true)
            {
                attempt++;
                bool connected = TryOnce(attempt == 1);
                if (connected)
                {
                    lock (_lock)
                    {
                        _ready = true;
                    }

                    _log.Info("wifi", "connected ssid=" + _ssid + " attempt=" + attempt);

                    // Drop the only copy outside the helper's own storage.
                    _password = null;
                    return;
                }

                _log.Warn("wifi", "not connected ssid=" + _ssid + " attempt=" + attempt + " status=" + (int)WifiNetworkHelper.Status
                    + " retry_in=" + (_retryDelayMs / 1000) + "s (check the SSID, the password and the signal)");
                Thread.Sleep(_retryDelayMs);
            }
        }

        private bool TryOnce(bool withCredentials)
        {
            using (var timeout = new CancellationTokenSource(_attemptTimeoutMs))
            {
                try
                {
                    return withCredentials
                        ? WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, false, 0, timeout.Token)
                        : WifiNetworkHelper.Reconnect(false, 0, timeout.Token);
                }
                catch (Exception ex)
                {
                    _log.Warn("wifi", "attempt failed: " + ex.Message);
                    return false;
                }
                finally
                {
                    ReleaseAdapter();
                }
            }
        }

        private void ReleaseAdapter()
        {
            try
            {
                WifiAdapter used = WifiNetworkHelper.WifiAdapter;
                if (used != null)
                {
                    used.Dispose();
                }
            }
            catch (Exception ex)
            {
                _log.Warn("wifi", "cannot release the adapter: " + ex.Message);
            }
        }
    }
}
