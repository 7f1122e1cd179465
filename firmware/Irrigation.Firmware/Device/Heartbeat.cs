using System.Device.Gpio;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// The heartbeat for the hardware dead-man (docs/hardware.md): the tick loop toggles this pin after every
    /// tick that ran, and a retriggerable monostable keeps the relays' supply on only while the edges keep
    /// coming. When the whole runtime freezes (all managed threads share one RTOS task, so a native call that
    /// never returns stops timers too), the software watchdog freezes with it, the edges stop, and the relay
    /// supply is cut: every valve closes. Toggle() is native and allocates nothing.
    /// </summary>
    public sealed class Heartbeat
    {
        private readonly GpioPin _pin;

        /// <summary>Opens <paramref name="pinNumber"/> as an output (driven low first, like every output).</summary>
        public Heartbeat(GpioController gpio, int pinNumber)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
        }

        /// <summary>One edge. Never throws.</summary>
        public void Beat()
        {
            try
            {
                _pin.Toggle();
            }
            catch
            {
                // A missing edge only brings the dead-man closer; nothing better to do on the tick thread.
            }
        }
    }
}
