namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// An air temperature and humidity sensor (a DHT22 on the device, a model in the simulator).
    /// The core calls it at most every 2 s from its one tick thread.
    /// </summary>
    public interface IClimateSensor
    {
        /// <summary>
        /// Takes one measurement. A failed read returns a sample with <see cref="ClimateSample.IsValid"/>
        /// false; it never throws for a bad read.
        /// </summary>
        ClimateSample Read();
    }
}
