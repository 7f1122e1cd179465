using System.Device.Adc;
using Irrigation.Core.Sensors;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// A capacitive soil probe on one ADC1 channel (ADC2 stops working while Wi-Fi is on). The ESP32 converts
    /// at a fixed 12 bits with fixed attenuation; calibration (dry/wet raw values) is the core's job.
    /// </summary>
    public sealed class AdcSoilProbe : ISoilProbe
    {
        private readonly AdcChannel _channel;
        private readonly int _maxRaw;

        /// <summary>Opens <paramref name="channelNumber"/> (a nanoFramework logical channel) on the shared controller.</summary>
        public AdcSoilProbe(int channelNumber)
        {
            AdcController controller = SharedAdc.Controller;
            _maxRaw = controller.MaxValue;
            _channel = controller.OpenChannel(channelNumber);
        }

        /// <summary>The converter's full scale (4095 on the ESP32).</summary>
        public int MaxRaw
        {
            get { return _maxRaw; }
        }

        /// <summary>One conversion, or -1 when the read failed or returned nonsense.</summary>
        public int ReadRaw()
        {
            try
            {
                int raw = _channel.ReadValue();
                return raw < 0 || raw > _maxRaw ? -1 : raw;
            }
            catch
            {
                return -1;
            }
        }

        /// <summary>Opens one probe per channel, in order.</summary>
        public static ISoilProbe[] OpenAll(int[] channelNumbers)
        {
            var probes = new ISoilProbe[channelNumbers.Length];
            for (int i = 0; i < channelNumbers.Length; i++)
            {
                probes[i] = new AdcSoilProbe(channelNumbers[i]);
            }

            return probes;
        }
    }
}
