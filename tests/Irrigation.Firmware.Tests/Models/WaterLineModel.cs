// MODEL of the field behind the board (no library imitated): the main line with its flow meter, a master valve and
// one valve per zone relay. Water flows through a zone while its relay is on and the master relay, if the line has
// one, is on too; a leak between the master and the zones flows whenever the master is on (always, without a
// master). The meter turns the water into pulses on its GPIO (ModelPcnt.Pulses), one pulse every 1/rate seconds of
// the board's uptime clock. Time is integrated lazily, exactly: the line catches up to "now" before any relay level
// changes (GpioModel's Drive) and before the counter is read, so a pulse is never booked to the wrong valve state.
using System;

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>The water side of the model board (one line per board).</summary>
    public static class ModelWaterLine
    {
        private static State S => ModelBoard.Current.Water;

        /// <summary>
        /// Lays the line: the meter's pulses reach <paramref name="meterPin"/>; <paramref name="masterRelayPin"/> (-1:
        /// none) gates it; relays switch ON at LOW when <paramref name="activeLow"/>.
        /// </summary>
        public static void Lay(int meterPin, int masterRelayPin, bool activeLow)
        {
            State s = S;
            lock (s.Lock)
            {
                s.MeterPin = meterPin;
                s.MasterPin = masterRelayPin;
                s.ActiveLow = activeLow;
                s.LastMs = Environment.TickCount64;
            }
        }

        /// <summary>The zone valve behind relay <paramref name="relayPin"/> lets <paramref name="pulsesPerSecond"/> through when open.</summary>
        public static void Zone(int relayPin, double pulsesPerSecond)
        {
            Advance();
            State s = S;
            lock (s.Lock)
            {
                s.ZoneRate[relayPin] = pulsesPerSecond;
            }
        }

        /// <summary>A leak downstream of the master valve, pulses per second (0: none).</summary>
        public static double LeakPulsesPerSecond
        {
            get => S.LeakRate;
            set
            {
                Advance();
                State s = S;
                lock (s.Lock)
                {
                    s.LeakRate = value;
                }
            }
        }

        /// <summary>Pulses that flowed while the zone on <paramref name="relayPin"/> was the only one open.</summary>
        public static long PulsesThrough(int relayPin)
        {
            Advance();
            State s = S;
            lock (s.Lock)
            {
                return s.ZonePulses[relayPin];
            }
        }

        /// <summary>Pulses that flowed with every zone valve closed (the leak).</summary>
        public static long IdlePulses
        {
            get
            {
                Advance();
                State s = S;
                lock (s.Lock)
                {
                    return s.IdlePulses;
                }
            }
        }

        /// <summary>Lets the water flow until now with the valves as they are. Allocates nothing.</summary>
        internal static void Advance()
        {
            State s = ModelBoard.Current.Water;
            lock (s.Lock)
            {
                if (s.MeterPin < 0)
                {
                    return;
                }

                long now = Environment.TickCount64;
                long ms = now - s.LastMs;
                s.LastMs = now;
                if (ms <= 0 || (s.MasterPin >= 0 && !IsOn(s, s.MasterPin)))
                {
                    return;
                }

                double rate = s.LeakRate;
                int open = -1;
                for (int pin = 0; pin < s.ZoneRate.Length; pin++)
                {
                    if (s.ZoneRate[pin] > 0 && IsOn(s, pin))
                    {
                        rate += s.ZoneRate[pin];
                        open = open == -1 ? pin : -2;
                    }
                }

                s.Fraction += rate * ms / 1000.0;
                long pulses = (long)s.Fraction;
                s.Fraction -= pulses;
                if (pulses == 0)
                {
                    return;
                }

                if (open >= 0)
                {
                    s.ZonePulses[open] += pulses;
                }
                else if (open == -1)
                {
                    s.IdlePulses += pulses;
                }

                ModelPcnt.Pulses(s.MeterPin, pulses);
            }
        }

        private static bool IsOn(State s, int relayPin)
        {
            ModelGpio.Pin pin = ModelGpio.Get(relayPin);
            return pin != null && pin.Writes > 0 && pin.IsHigh != s.ActiveLow;
        }

        /// <summary>One board's line.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            public readonly double[] ZoneRate = new double[40];
            public readonly long[] ZonePulses = new long[40];
            public int MeterPin = -1;
            public int MasterPin = -1;
            public bool ActiveLow = true;
            public double LeakRate;
            public double Fraction;
            public long LastMs;
            public long IdlePulses;
        }
    }
}
