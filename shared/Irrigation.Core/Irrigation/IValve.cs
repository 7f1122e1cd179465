namespace Irrigation.Core.Irrigation
{
    /// <summary>
    /// One zone's valve (a relay on the device). The core owns the state; the adapter only copies it to
    /// the pin. Wiring must make a de-energised relay mean a closed valve.
    /// </summary>
    public interface IValve
    {
        /// <summary>Opens (true) or closes (false) the valve. Must not throw; called from the tick thread.</summary>
        void SetOpen(bool open);
    }
}
