using Irrigation.Core.Protocol;

namespace Irrigation.Core.Irrigation
{
    /// <summary>
    /// The valves and their leases: the safety core. Every open carries a lease (an end time); the owner calls
    /// <see cref="CloseExpired"/> first on every tick, so a valve closes when its lease ends whatever happens
    /// to the link, the server or the commands. Also enforces the number of zones open at once.
    /// Zone sets are bit masks (bit n = zone n), at most 16 zones.
    /// </summary>
    public sealed class ZoneValves
    {
        private readonly IValve[] _valves;
        private readonly bool[] _open;
        private readonly long[] _openedAtMs;
        private readonly long[] _leaseEndMs;
        private readonly IrrigationReason[] _reason;
        private int _maxOpen;

        /// <summary>Creates the bank for <paramref name="valves"/> (one per zone) with at most <paramref name="maxOpen"/> open at once.</summary>
        public ZoneValves(IValve[] valves, int maxOpen)
        {
            _valves = valves;
            _open = new bool[valves.Length];
            _openedAtMs = new long[valves.Length];
            _leaseEndMs = new long[valves.Length];
            _reason = new IrrigationReason[valves.Length];
            _maxOpen = maxOpen < 1 ? 1 : maxOpen;
        }

        /// <summary>Number of zones.</summary>
        public int Count
        {
            get { return _valves.Length; }
        }

        /// <summary>Zones that may be open at once.</summary>
        public int MaxOpen
        {
            get { return _maxOpen; }
        }

        /// <summary>Zones open right now.</summary>
        public int OpenCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _open.Length; i++)
                {
                    if (_open[i])
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>The open zones as a bit mask.</summary>
        public int OpenMask
        {
            get
            {
                int mask = 0;
                for (int i = 0; i < _open.Length; i++)
                {
                    if (_open[i])
                    {
                        mask |= 1 << i;
                    }
                }

                return mask;
            }
        }

        /// <summary>A mask with every zone's bit set.</summary>
        public int AllMask
        {
            get { return (1 << _valves.Length) - 1; }
        }

        /// <summary>True when zone <paramref name="zone"/> is open.</summary>
        public bool IsOpen(int zone)
        {
            return zone >= 0 && zone < _open.Length && _open[zone];
        }

        /// <summary>Uptime in ms at which the zone's lease ends (meaningful while open).</summary>
        public long LeaseEndMs(int zone)
        {
            return _leaseEndMs[zone];
        }

        /// <summary>Uptime in ms at which the zone opened (meaningful while open).</summary>
        public long OpenedAtMs(int zone)
        {
            return _openedAtMs[zone];
        }

        /// <summary>Why the zone opened (meaningful while open).</summary>
        public IrrigationReason OpenReason(int zone)
        {
            return _reason[zone];
        }

        /// <summary>
        /// Changes the open-zone limit (settings). Zones already open stay open until their lease ends, even above
        /// a lower limit: new opens obey it.
        /// </summary>
        public void SetMaxOpen(int maxOpen)
        {
            _maxOpen = maxOpen < 1 ? 1 : maxOpen;
        }

        /// <summary>
        /// Brings an open zone's lease end forward to <paramref name="latestEndMs"/> if it ends later; never moves
        /// it back. Returns true when the lease was shortened.
        /// </summary>
        public bool CapLease(int zone, long latestEndMs)
        {
            if (!IsOpen(zone) || _leaseEndMs[zone] <= latestEndMs)
            {
                return false;
            }

            _leaseEndMs[zone] = latestEndMs;
            return true;
        }

        /// <summary>Closes every valve, whatever the recorded state (boot: GPIOs floated until now).</summary>
        public void CloseAll()
        {
            for (int i = 0; i < _valves.Length; i++)
            {
                _open[i] = false;
                _valves[i].SetOpen(false);
            }
        }

        /// <summary>
        /// Opens (or re-leases) a zone until <paramref name="nowMs"/> + <paramref name="durationSeconds"/>.
        /// Returns false, changing nothing, when the zone is closed and the open-zone limit is reached or the
        /// duration is not positive.
        /// </summary>
        public bool Open(int zone, long nowMs, int durationSeconds, IrrigationReason reason)
        {
            if (zone < 0 || zone >= _valves.Length || durationSeconds <= 0)
            {
                return false;
            }

            if (!_open[zone] && OpenCount >= _maxOpen)
            {
                return false;
            }

            _leaseEndMs[zone] = nowMs + (long)durationSeconds * 1000;
            _reason[zone] = reason;
            if (!_open[zone])
            {
                _openedAtMs[zone] = nowMs;
                _open[zone] = true;
                _valves[zone].SetOpen(true);
            }

            return true;
        }

        /// <summary>Closes the zones in <paramref name="mask"/>; returns the mask of those that were open.</summary>
        public int Close(int mask)
        {
            int closed = 0;
            for (int i = 0; i < _valves.Length; i++)
            {
                if ((mask & (1 << i)) != 0 && _open[i])
                {
                    _open[i] = false;
                    _valves[i].SetOpen(false);
                    closed |= 1 << i;
                }
            }

            return closed;
        }

        /// <summary>Closes every zone whose lease has ended at <paramref name="nowMs"/>; returns their mask.</summary>
        public int CloseExpired(long nowMs)
        {
            int expired = 0;
            for (int i = 0; i < _valves.Length; i++)
            {
                if (_open[i] && nowMs >= _leaseEndMs[i])
                {
                    expired |= 1 << i;
                }
            }

            return expired == 0 ? 0 : Close(expired);
        }

        /// <summary>The contract's reason string (<see cref="Reasons"/>).</summary>
        public static string ReasonToWire(IrrigationReason reason)
        {
            switch (reason)
            {
                case IrrigationReason.Schedule: return Reasons.Schedule;
                case IrrigationReason.SoilDry: return Reasons.SoilDry;
                case IrrigationReason.Manual: return Reasons.Manual;
                case IrrigationReason.Completed: return Reasons.Completed;
                case IrrigationReason.SoilWet: return Reasons.SoilWet;
                case IrrigationReason.Failsafe: return Reasons.Failsafe;
                default: return Reasons.Boot;
            }
        }
    }
}
