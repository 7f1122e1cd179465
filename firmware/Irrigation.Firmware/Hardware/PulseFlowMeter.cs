using System;
using System.Device.Gpio;
using Irrigation.Core.Water;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// The flow meter on the main line (a YF-S201-class hall-effect meter), counted by the ESP32's hardware pulse
    /// counter through <see cref="GpioPulseCounter"/> (nanoFramework.Hardware.Esp32 1.6.42, Gpio/GpioPulseCounter.cs;
    /// native side nf-interpreter targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/
    /// nanoFramework_hardware_esp32_native_System_Device_Gpio_GpioPulseCounter.cpp). The PCNT unit counts every edge
    /// whatever the tick thread does; the core reads the running total once a tick.
    /// <para>
    /// Failure is data: a counter that could not be created or started (a chip without PCNT such as the ESP32-C3,
    /// all eight units taken) is logged once at boot with what to do, and every read then fails (-1), which the core
    /// reports as a silent meter (<c>sensor_disconnected</c> flow) rather than the board halting: irrigation by time
    /// goes on. A read that throws is a failed read too.
    /// </para>
    /// </summary>
    public sealed class PulseFlowMeter : IPulseCounter, IDisposable
    {
        /// <summary>
        /// The glitch filter, in nanoseconds: the native code hands <see cref="GpioPulseCounter.FilterPulses"/> to
        /// ESP-IDF's <c>pcnt_glitch_filter_config_t.max_glitch_ns</c> (the managed doc's "APB cycles" is wrong), which
        /// ignores pulses shorter than this; the managed setter allows at most 1023. A YF-S201 pulses at most 225 times
        /// a second (F = 7.5 × Q at 30 L/min) with a 40-60 % duty cycle, so its shortest real pulse lasts about 1.8 ms:
        /// 1 µs only removes spikes that the valves' and relays' switching couples into the cable.
        /// </summary>
        public const ushort GlitchFilterNs = 1000;

        /// <summary>
        /// Reads in a row that may return less than the last count before it is taken as a restart. The hardware
        /// counter clears itself at 0x7FFF and the native overflow callback adds 0x7FFF to the 64-bit total a moment
        /// later (an interrupt): a read in between is short by 0x7FFF. Passed on, the core would take it for a
        /// restart, count nothing, then count 0x7FFF pulses (73 L at 450 pulses per litre) that never flowed. Nothing
        /// else makes this counter go down (rising edges only, and only this class starts it), so a smaller count is
        /// a failed read until it lasts this long, far longer than any interrupt latency.
        /// </summary>
        public const int SmallerReadsBeforeRestart = 3;

        private readonly int _pin;
        private GpioPulseCounter _counter;
        private long _lastCount;
        private int _smallerReads;

        private PulseFlowMeter(int pin, FirmwareLog log)
        {
            _pin = pin;
            try
            {
                _counter = new GpioPulseCounter(pin);
                // Polarity may only be set while stopped (it throws once started); the filter is applied at Start.
                _counter.Polarity = GpioPulsePolarity.Rising;
                _counter.FilterPulses = GlitchFilterNs;
                _counter.Start();
                log.Info("water", "flow meter counting on GPIO" + pin + " (rising edges, glitch filter " + GlitchFilterNs + " ns)");
            }
            catch (NotImplementedException)
            {
                Release();
                log.Error("water", "flow meter on GPIO" + pin + ": this chip has no pulse counter (ESP32-C3?): volumes unknown, runs go by time. Use a classic ESP32, or set BoardConfig.FlowMeterPin to NoPin");
            }
            catch (Exception ex)
            {
                Release();
                log.Error("water", "flow meter on GPIO" + pin + " did not start (" + Describe(ex) + "): volumes unknown, runs go by time. Check BoardConfig.FlowMeterPin");
            }
        }

        /// <summary>
        /// The meter on <paramref name="pin"/>, counting from now; null when <paramref name="pin"/> is
        /// <see cref="BoardConfig.NoPin"/> (the board has no meter: settings with <c>pulses_per_litre</c> are refused).
        /// Never throws: a counter that cannot run is logged and reads fail.
        /// </summary>
        public static PulseFlowMeter Open(int pin, FirmwareLog log)
        {
            return pin == BoardConfig.NoPin ? null : new PulseFlowMeter(pin, log);
        }

        /// <summary>True while the hardware counter runs (false after a failed start).</summary>
        public bool IsCounting
        {
            get { return _counter != null; }
        }

        /// <summary>The GPIO the meter is wired to.</summary>
        public int Pin
        {
            get { return _pin; }
        }

        /// <summary>
        /// Rising edges since the counter started, or -1 when the read failed. Never throws, never blocks. Each read
        /// leaves a 36-byte object behind (the runtime boxes the <see cref="GpioPulseCount"/> it returns).
        /// </summary>
        public long ReadPulses()
        {
            GpioPulseCounter counter = _counter;
            if (counter == null)
            {
                return -1;
            }

            long count;
            try
            {
                count = counter.Read().Count;
            }
            catch
            {
                return -1;
            }

            if (count < 0)
            {
                return -1;
            }

            if (count < _lastCount && ++_smallerReads < SmallerReadsBeforeRestart)
            {
                return -1;
            }

            _smallerReads = 0;
            _lastCount = count;
            return count;
        }

        /// <summary>Stops counting and gives the pin back.</summary>
        public void Dispose()
        {
            Release();
        }

        private void Release()
        {
            GpioPulseCounter counter = _counter;
            _counter = null;
            if (counter == null)
            {
                return;
            }

            try
            {
                counter.Dispose();
            }
            catch
            {
                // Nothing to do about a counter that cannot even be released: it is not read again.
            }
        }

        // nanoCLR's native exceptions carry no message: the type says what happened (NotSupportedException: no free
        // PCNT unit or a pin the unit cannot use).
        private static string Describe(Exception ex)
        {
            string message = ex.Message;
            return message != null && message.Length > 0 ? ex.GetType().FullName + ": " + message : ex.GetType().FullName;
        }
    }
}
