namespace Irrigation.Core.Device
{
    /// <summary>Health figures for the <c>status</c> event.</summary>
    public interface IDeviceInfo
    {
        /// <summary>Free managed heap in bytes.</summary>
        int FreeHeapBytes { get; }

        /// <summary>Wi-Fi signal strength in dBm, or 0 when unknown.</summary>
        int Rssi { get; }
    }
}
