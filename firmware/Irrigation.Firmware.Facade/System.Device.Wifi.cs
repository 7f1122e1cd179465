// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Packages: nanoFramework.System.Device.Wifi (WifiNetworkHelper, WifiReconnectionKind) and
// nanoFramework.System.Net (NetworkHelperStatus).
using System;
using System.Device.Wifi;
using System.Threading;

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        private WifiAdapter() => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status => throw new NotImplementedException();

        public static Exception HelperException => throw new NotImplementedException();

        public static WifiAdapter WifiAdapter => throw new NotImplementedException();

        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw new NotImplementedException();

        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw new NotImplementedException();
    }

    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        ExceptionOccurred,
        ErrorConnetingToWiFiWhileScanning,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        Reconnecting,
    }
}
