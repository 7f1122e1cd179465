using System;
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

        /// <summary>
        /// The relay on <paramref name="pinNumber"/> (the master valve or pump), driven to "off" as it opens, or null
        /// when the board has none (<see cref="BoardConfig.NoPin"/>).
        /// </summary>
        public static IValve OpenOptional(GpioController gpio, int pinNumber, bool activeLow)
        {
            return pinNumber == BoardConfig.NoPin ? null : new GpioValve(gpio, pinNumber, activeLow);
        }

        /// <summary>Every relay of the board: <paramref name="zoneRelays"/> and, when there is one, <paramref name="masterRelay"/>.</summary>
        public static IValve[] Every(IValve[] zoneRelays, IValve masterRelay)
        {
            if (masterRelay == null)
            {
                return zoneRelays;
            }

            var every = new IValve[zoneRelays.Length + 1];
            Array.Copy(zoneRelays, every, zoneRelays.Length);
            every[zoneRelays.Length] = masterRelay;
            return every;
        }
    }
}
