// BEHAVIOURAL MODEL of the ESP32 pulse counter as nanoFramework.Hardware.Esp32 1.6.42 exposes it.
// Managed side, imitated member by member: nanoframework/nanoFramework.Hardware.Esp32@v1.6.42
// nanoFramework.Hardware.Esp32/Gpio/GpioPulseCounter.cs (the file and class name carry a zero-width space after
// "Gpio") and Gpio/GpioPulseCount.cs: the constructor throws ArgumentException for a negative pin, then NativeInit;
// Polarity defaults to Falling and its setter throws InvalidOperationException while counting; the FilterPulses
// setter throws ArgumentException above 1023 and is applied at Start; Start throws InvalidOperationException when
// already started and sets IsStarted BEFORE NativeStart (a failed NativeStart leaves IsStarted true); Stop throws
// InvalidOperationException when not started; Read/Reset/Start/Stop throw ObjectDisposedException after Dispose;
// Reset returns the count and clears it.
// Native side: nanoframework/nf-interpreter targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/
// nanoFramework_hardware_esp32_native_System_Device_Gpio_GpioPulseCounter.cpp: NativeInit throws
// NotImplementedException on a chip without PCNT (ESP32-C3: the NotImplementedStub) and NotSupportedException when
// all 8 units are taken; it reserves the pin with CPU_GPIO_ReservePin and ignores the answer, so it takes a pin a
// GpioPin already holds, while GpioController.OpenPin on a counter's pin throws InvalidOperationException (the pin is
// reserved: System.Device.Gpio GpioController.InternalOpenPin). The unit's 16-bit hardware counter clears itself to
// zero when it reaches its high limit 0x7FFF (ESP-IDF docs, pcnt "Compensate Overflow Loss"), and the watch-point
// callback adds 0x7FFF to a 64-bit overflow total; Read returns overflow + hardware count, so a read between the
// hardware clear and the callback (an interrupt's latency) is short by 0x7FFF. NativeStart clears the count and the
// overflow, sets the edge actions from Polarity and passes FilterPulses to pcnt_unit_set_glitch_filter as
// max_glitch_ns (ESP-IDF pulse_cnt.c: pulses shorter than that many ns, in 12.5 ns APB cycles, are ignored).
// Pulses reach the counter from the model's water line (WaterLineModel.cs) or from a test (ModelPcnt.Pulses).
using System;
using System.Device.Gpio;
using Irrigation.Firmware.Tests.Models;

namespace System.Device.Gpio
{
    public sealed class GpioPulseCounter : IDisposable
    {
        private readonly object _syncLock = new object();
        private readonly ModelPcnt.Unit _unit;
        private GpioPulsePolarity _polarity = GpioPulsePolarity.Falling;
        private bool _countActive;
        private ushort _filter;
        private bool _disposedValue;

        public GpioPulseCounter(int pinNumberA, int pinNumberB = -1)
        {
            if (pinNumberA < 0)
            {
                throw new ArgumentException();
            }

            _unit = ModelPcnt.NativeInit(pinNumberA);
        }

        public bool IsStarted => _countActive;

        public GpioPulsePolarity Polarity
        {
            get => _polarity;
            set
            {
                CheckIfActive(true);
                _polarity = value;
            }
        }

        public ushort FilterPulses
        {
            get => _filter;
            set
            {
                if (value > 1023)
                {
                    throw new ArgumentException();
                }

                _filter = value;
            }
        }

        public GpioPulseCount Read() => ReadInternal(false);

        public GpioPulseCount Reset() => ReadInternal(true);

        public void Start()
        {
            lock (_syncLock)
            {
                if (_disposedValue)
                {
                    throw new ObjectDisposedException(nameof(GpioPulseCounter));
                }

                CheckIfActive(true);
                _countActive = true;
                ModelPcnt.NativeStart(_unit, _polarity, _filter);
            }
        }

        public void Stop()
        {
            lock (_syncLock)
            {
                if (_disposedValue)
                {
                    throw new ObjectDisposedException(nameof(GpioPulseCounter));
                }

                CheckIfActive(false);
                _countActive = false;
                ModelPcnt.NativeStop(_unit);
            }
        }

        public void Dispose()
        {
            lock (_syncLock)
            {
                if (!_disposedValue)
                {
                    ModelPcnt.NativeDispose(_unit);
                    _disposedValue = true;
                }
            }
        }

        private GpioPulseCount ReadInternal(bool reset)
        {
            lock (_syncLock)
            {
                if (_disposedValue)
                {
                    throw new ObjectDisposedException(nameof(GpioPulseCounter));
                }

                return ModelPcnt.NativeRead(_unit, reset);
            }
        }

        private void CheckIfActive(bool state)
        {
            if (_countActive == state)
            {
                throw new InvalidOperationException();
            }
        }
    }

    public struct GpioPulseCount
    {
        public long Count;

        public TimeSpan RelativeTime;
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>The board's PCNT units as the model counter drives them (one set per model board).</summary>
    public static class ModelPcnt
    {
        /// <summary>Units of the classic ESP32 (SOC_PCNT_GROUPS × SOC_PCNT_UNITS_PER_GROUP = 1 × 8).</summary>
        public const int Units = 8;

        /// <summary>The hardware counter's high limit, where it clears itself (MAX_COUNTER_VALUE in the native code).</summary>
        public const int HighLimit = 0x7FFF;

        private static State S => ModelBoard.Current.Pcnt;

        /// <summary>False for a chip without PCNT (ESP32-C3): the constructor throws NotImplementedException.</summary>
        public static bool Supported { get => S.Supported; set => S.Supported = value; }

        /// <summary>
        /// While true, the overflow callback waits (an interrupt not yet served): reads meanwhile miss 0x7FFF per
        /// clear. Setting it false serves the waiting callbacks.
        /// </summary>
        public static bool HoldOverflowCallback
        {
            get => S.HoldOverflowCallback;
            set
            {
                State s = S;
                lock (s.Lock)
                {
                    s.HoldOverflowCallback = value;
                    if (!value)
                    {
                        foreach (Unit unit in s.Active)
                        {
                            if (unit != null)
                            {
                                unit.Overflow += (long)unit.HeldCallbacks * HighLimit;
                                unit.HeldCallbacks = 0;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>The next this many NativeStart calls fail (CLR_E_INVALID_PARAMETER: ArgumentException), as when the native entry is gone.</summary>
        public static int StartFailures { get => S.StartFailures; set => S.StartFailures = value; }

        /// <summary>The next this many reads throw (CLR_E_INVALID_PARAMETER: ArgumentException).</summary>
        public static int ReadFailures { get => S.ReadFailures; set => S.ReadFailures = value; }

        /// <summary>Reads that reached the native side.</summary>
        public static int Reads => S.Reads;

        /// <summary>The unit counting <paramref name="pin"/>, or null.</summary>
        public static Unit On(int pin)
        {
            State s = S;
            lock (s.Lock)
            {
                foreach (Unit unit in s.Active)
                {
                    if (unit != null && unit.Pin == pin)
                    {
                        return unit;
                    }
                }

                return null;
            }
        }

        /// <summary>
        /// <paramref name="count"/> pulses of <paramref name="widthNs"/> each reach <paramref name="pin"/> (a rising and a
        /// falling edge each): every started unit on that pin counts the edges its polarity selects, unless the glitch
        /// filter takes the pulse for a glitch.
        /// </summary>
        public static void Pulses(int pin, long count, long widthNs = 2_000_000)
        {
            State s = S;
            lock (s.Lock)
            {
                foreach (Unit unit in s.Active)
                {
                    if (unit == null || unit.Pin != pin || !unit.Counting)
                    {
                        continue;
                    }

                    // pcnt_unit_set_glitch_filter: thres = APB MHz × ns / 1000 cycles; shorter pulses are filtered.
                    if (unit.FilterNs > 0 && widthNs * 80 / 1000 < unit.FilterNs * 80 / 1000)
                    {
                        continue;
                    }

                    long edges = unit.Polarity == GpioPulsePolarity.Both ? 2 * count : count;
                    for (long e = 0; e < edges; e++)
                    {
                        unit.Hardware++;
                        if (unit.Hardware == HighLimit)
                        {
                            unit.Hardware = 0;
                            if (s.HoldOverflowCallback)
                            {
                                unit.HeldCallbacks++;
                            }
                            else
                            {
                                unit.Overflow += HighLimit;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Clears a unit's count behind the adapter's back (a native restart), as pcnt_unit_clear_count does.</summary>
        public static void ClearCount(int pin)
        {
            State s = S;
            lock (s.Lock)
            {
                Unit unit = On(pin);
                unit.Hardware = 0;
                unit.Overflow = 0;
                unit.HeldCallbacks = 0;
            }
        }

        internal static Unit NativeInit(int pin)
        {
            BoardState board = ModelBoard.Current;
            State s = board.Pcnt;
            lock (s.Lock)
            {
                if (!s.Supported)
                {
                    throw NativeFailure.NotImplemented();
                }

                int free = Array.IndexOf(s.Active, null);
                if (free < 0)
                {
                    throw NativeFailure.NotSupported();
                }

                var unit = new Unit(pin);
                s.Active[free] = unit;
                // CPU_GPIO_ReservePin(pin, true): the answer is ignored, so a pin a GpioPin holds is taken all the same.
                ModelGpio.Reserve(pin);
                return unit;
            }
        }

        internal static void NativeStart(Unit unit, GpioPulsePolarity polarity, ushort filterNs)
        {
            State s = S;
            lock (s.Lock)
            {
                if (s.StartFailures > 0)
                {
                    s.StartFailures--;
                    throw NativeFailure.InvalidParameter();
                }

                unit.Polarity = polarity;
                unit.FilterNs = filterNs;
                unit.Hardware = 0;
                unit.Overflow = 0;
                unit.HeldCallbacks = 0;
                unit.Counting = true;
            }
        }

        internal static void NativeStop(Unit unit)
        {
            State s = S;
            lock (s.Lock)
            {
                unit.Counting = false;
            }
        }

        internal static GpioPulseCount NativeRead(Unit unit, bool reset)
        {
            // The water that flowed until now reaches the meter first.
            ModelWaterLine.Advance();
            State s = S;
            lock (s.Lock)
            {
                s.Reads++;
                if (s.ReadFailures > 0)
                {
                    s.ReadFailures--;
                    throw NativeFailure.InvalidParameter();
                }

                var read = new GpioPulseCount { Count = unit.Overflow + unit.Hardware, RelativeTime = TimeSpan.FromMilliseconds(Environment.TickCount64) };
                if (reset)
                {
                    unit.Hardware = 0;
                    unit.Overflow = 0;
                }

                return read;
            }
        }

        internal static void NativeDispose(Unit unit)
        {
            State s = S;
            lock (s.Lock)
            {
                int index = Array.IndexOf(s.Active, unit);
                if (index >= 0)
                {
                    s.Active[index] = null;
                }

                unit.Counting = false;
                ModelGpio.Release(unit.Pin);
            }
        }

        /// <summary>
        /// The exceptions nanoCLR raises for a native HRESULT (CLR_E_NOT_IMPLEMENTED, CLR_E_NOT_SUPPORTED,
        /// CLR_E_INVALID_PARAMETER): of the mapped type and without a message.
        /// </summary>
        private static class NativeFailure
        {
            public static Exception NotImplemented() => new NotImplementedException(string.Empty);

            public static Exception NotSupported() => new NotSupportedException(string.Empty);

            public static Exception InvalidParameter() => new ArgumentException(string.Empty);
        }

        /// <summary>One board's units.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            public readonly Unit[] Active = new Unit[Units];
            public bool Supported = true;
            public bool HoldOverflowCallback;
            public int StartFailures;
            public int ReadFailures;
            public int Reads;
        }

        /// <summary>One PCNT unit counting one pin.</summary>
        public sealed class Unit
        {
            internal Unit(int pin)
            {
                Pin = pin;
            }

            public int Pin { get; }

            public bool Counting { get; internal set; }

            public GpioPulsePolarity Polarity { get; internal set; }

            public int FilterNs { get; internal set; }

            /// <summary>The 16-bit hardware count (0 … 0x7FFE).</summary>
            public int Hardware { get; internal set; }

            /// <summary>The native 64-bit overflow total.</summary>
            public long Overflow { get; internal set; }

            internal int HeldCallbacks { get; set; }
        }
    }
}
