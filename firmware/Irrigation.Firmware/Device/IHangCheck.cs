namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// A part that can get stuck in a call that never returns while the tick loop carries on (a WebSocket
    /// handshake read with no timeout). The watchdog asks it every check and reboots, valves off, when it is hung.
    /// </summary>
    public interface IHangCheck
    {
        /// <summary>True when the part has been stuck past its bound. Must not block or allocate.</summary>
        bool IsHung(long nowMs);
    }
}
