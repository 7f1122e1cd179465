// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Packages: nanoFramework.System.Device.Wifi 1.5.147 (WifiReconnectionKind), nanoFramework.System.Net 1.11.54
// (NetworkHelperStatus).
namespace System.Device.Wifi
{
    // nanoframework/System.Device.Wifi@v1.5.147 System.Device.Wifi/WifiReconnectionKind.cs: implicit values 0-1.
    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }
}

namespace nanoFramework.Networking
{
    // nanoframework/System.Net@v1.11.54 nanoFramework.System.Net/NetworkHelper/NetworkHelperStatus.cs: implicit
    // values 0-8 in this order (TokenExpiredWaitingIPAddress = 4, ExceptionOccurred = 7).
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
        Reconnecting,
    }
}
