using System.Device.Gpio;
using Irrigation.Core.Irrigation;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// One zone's relay on a GPIO. Opening a pin as an output drives it LOW first (native behaviour), which
    /// switches an active-low relay ON; so "off" is written in the very next statement, before anything else
    /// runs. The pins still float from reset until the application starts: wire the valves so that a
    /// de-energised relay means closed (docs/hardware.md, "Relay clicks at boot").
    /// </summary>
    public sealed class GpioValve : IValve
    {
        private readonly GpioPin _pin;
        private readonly PinValue _on;
        private readonly PinValue _off;

        /// <summary>Opens <paramref name="pinNumber"/> as an output and drives it to "off" at once.</summary>
        public GpioValve(GpioController gpio, int pinNumber, bool activeLow)
        {
            _on = activeLow ? PinValue.Low : PinValue.High;
            _off = activeLow ? PinValue.High : PinValue.Low;
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(_off);
        }

        /// <summary>Drives the relay; never throws.</summary>
        public void SetOpen(bool open)
        {
            try
            {
                _pin.Write(open ? _on : _off);
            }
            catch
            {
                // Nothing better to do on the tick thread; the core keeps its own state.
            }
        }

        /// <summary>Opens every relay pin, in zone order, each driven to "off" as it opens.</summary>
        public static IValve[] OpenAll(GpioController gpio, int[] pinNumbers, bool activeLow)
        {
            var valves = new IValve[pinNumbers.Length];
            for (int i = 0; i < pinNumbers.Length; i++)
            {
                valves[i] = new GpioValve(gpio, pinNumbers[i], activeLow);
            }

            return valves;
        }
    }
}
