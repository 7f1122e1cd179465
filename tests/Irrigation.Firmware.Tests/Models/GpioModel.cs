// BEHAVIOURAL MODEL of nanoFramework.System.Device.Gpio 1.1.62 for the host tests.
// Imitates nanoframework/System.Device.Gpio@v1.1.62 System.Device.Gpio/GpioController.cs, GpioPin.cs, PinMode.cs,
// PinValue.cs, and the native side nanoframework/nf-interpreter src/System.Device.Gpio/
// sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp: setting an output mode calls
// CPU_GPIO_EnableOutputPin(pin, GpioPinValue_Low, mode), so a pin opened as an output is driven LOW first.
// Toggle() is native (no allocation). Recording never allocates after a pin is opened, so the tests can measure
// that a path through GpioPin.Write allocates nothing. OpenPin reserves the pin (GpioPin.Init: NativeInit returns
// CPU_GPIO_ReservePin's answer, and GpioController.InternalOpenPin throws InvalidOperationException on false), so a
// pin already open, or taken by the pulse counter, cannot be opened again; GpioPin.Dispose releases it
// (nf-interpreter targets/ESP32/_nanoCLR/System.Device.Gpio/cpu_gpio.cpp CPU_GPIO_DisablePin). Every level written
// reaches the model water line first (WaterLineModel.cs), so water flows exactly while a valve's relay is on.
using System;
using Irrigation.Firmware.Tests.Models;

namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController()
        {
        }

        public GpioController(PinNumberingScheme numberingScheme)
        {
        }

        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            if (!ModelGpio.Reserve(pinNumber))
            {
                throw new InvalidOperationException();
            }

            ModelGpio.Pin pin = ModelGpio.Open(pinNumber);
            var gpioPin = new GpioPin(pin);
            gpioPin.SetPinMode(mode);
            return gpioPin;
        }

        public void Dispose()
        {
        }
    }

    public sealed class GpioPin : IDisposable
    {
        private readonly ModelGpio.Pin _pin;

        internal GpioPin(ModelGpio.Pin pin)
        {
            _pin = pin;
        }

        public int PinNumber => _pin.Number;

        public void SetPinMode(PinMode mode)
        {
            if (mode >= PinMode.Output)
            {
                _pin.Drive(false);
            }
        }

        public void Write(PinValue value)
        {
            _pin.Drive(value == PinValue.High);
        }

        public void Toggle()
        {
            _pin.Toggle();
        }

        public void Dispose()
        {
            ModelGpio.Release(_pin.Number);
        }
    }

    public struct PinValue : IEquatable<PinValue>
    {
        private readonly byte _value;

        private PinValue(byte value)
        {
            _value = value;
        }

        public static PinValue High => new PinValue(1);

        public static PinValue Low => new PinValue(0);

        public bool Equals(PinValue other) => _value == other._value;

        public override bool Equals(object obj) => obj is PinValue other && Equals(other);

        public override int GetHashCode() => _value;

        public static bool operator ==(PinValue a, PinValue b) => a._value == b._value;

        public static bool operator !=(PinValue a, PinValue b) => a._value != b._value;
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>The board's pins as the model GPIO driver drives them (one set per model board).</summary>
    public static class ModelGpio
    {
        /// <summary>The pin, or null when the firmware never opened it.</summary>
        public static Pin Get(int number)
        {
            State s = ModelBoard.Current.Gpio;
            lock (s.Lock)
            {
                return s.Pins[number];
            }
        }

        /// <summary>True when <paramref name="number"/> was reserved now; false when something holds it already.</summary>
        internal static bool Reserve(int number)
        {
            State s = ModelBoard.Current.Gpio;
            lock (s.Lock)
            {
                if (number < 0 || number >= s.Reserved.Length || s.Reserved[number])
                {
                    return false;
                }

                s.Reserved[number] = true;
                return true;
            }
        }

        internal static void Release(int number)
        {
            State s = ModelBoard.Current.Gpio;
            lock (s.Lock)
            {
                s.Reserved[number] = false;
            }
        }

        /// <summary>True while a GpioPin or the pulse counter holds <paramref name="number"/>.</summary>
        public static bool IsReserved(int number)
        {
            State s = ModelBoard.Current.Gpio;
            lock (s.Lock)
            {
                return s.Reserved[number];
            }
        }

        internal static Pin Open(int number)
        {
            State s = ModelBoard.Current.Gpio;
            lock (s.Lock)
            {
                if (s.Pins[number] == null)
                {
                    s.Pins[number] = new Pin(number);
                }

                return s.Pins[number];
            }
        }

        /// <summary>One board's pins.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            public readonly Pin[] Pins = new Pin[40];
            public readonly bool[] Reserved = new bool[40];
        }

        /// <summary>One output pin: its level now and every level it was driven to (first 256).</summary>
        public sealed class Pin
        {
            private readonly bool[] _history = new bool[256];
            private int _changes;
            private int _writes;
            private volatile bool _high;

            internal Pin(int number)
            {
                Number = number;
            }

            public int Number { get; }

            public bool IsHigh => _high;

            public int Writes => _writes;

            /// <summary>Level changes (a toggle or a write of the other level) since opening.</summary>
            public int Changes => _changes;

            /// <summary>Levels driven so far, oldest first (first 256 writes).</summary>
            public bool[] History
            {
                get
                {
                    int n = Math.Min(_writes, _history.Length);
                    var copy = new bool[n];
                    Array.Copy(_history, copy, n);
                    return copy;
                }
            }

            internal void Drive(bool high)
            {
                // A thread of a test that ended stops here (parked), like every thread of a board that was reset.
                _ = ModelBoard.Current;
                // The water flowed with the valves as they were until this moment.
                ModelWaterLine.Advance();
                if (_writes > 0 && high != _high)
                {
                    _changes++;
                }

                if (_writes < _history.Length)
                {
                    _history[_writes] = high;
                }

                _writes++;
                _high = high;
            }

            internal void Toggle()
            {
                Drive(!_high);
            }
        }
    }
}
