namespace Irrigation.Firmware.Hardware
{
    /// <summary>One function of the board on one GPIO, as <see cref="BoardPins"/> checks it.</summary>
    public sealed class PinUse
    {
        /// <summary>A digital output (a relay, the heartbeat, a UART transmit line).</summary>
        public const int Output = 0;

        /// <summary>A digital input (the flow meter, a UART receive line, the DHT's receiver).</summary>
        public const int Input = 1;

        /// <summary>An analog input on the ADC (a soil probe).</summary>
        public const int Analog = 2;

        /// <summary>A use of <paramref name="gpio"/> named <paramref name="name"/> (for the log) as <paramref name="direction"/>.</summary>
        public PinUse(string name, int gpio, int direction)
        {
            Name = name;
            Gpio = gpio;
            Direction = direction;
        }

        /// <summary>What the pin does, as a person reads it in the log ("relay 2", "flow meter").</summary>
        public string Name { get; private set; }

        /// <summary>The ESP32 GPIO number.</summary>
        public int Gpio { get; private set; }

        /// <summary><see cref="Output"/>, <see cref="Input"/> or <see cref="Analog"/>.</summary>
        public int Direction { get; private set; }
    }
}
