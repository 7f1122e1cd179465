using Irrigation.Core.Protocol;

namespace Irrigation.Core.Irrigation
{
    /// <summary>
    /// The valves and their leases: the safety core. Every open carries a lease (an end time); the owner calls
    /// <see cref="CloseExpired"/> first on every tick, so a valve closes when its lease ends whatever happens
    /// to the link, the server or the commands. Also enforces the number of zones open at once.
    /// An optional master valve (or pump relay) on the main line opens with the first zone, <c>master_lead</c>
    /// before its valve (the zone's lease then starts when its own valve opens), and closes <c>master_lag</c> after
    /// the last zone closed; a leak lock keeps it closed whatever the zones do. A zone is "open" from the moment it
    /// is leased (<see cref="IsOpen"/>); <see cref="IsValveOpen"/> says whether its valve already is.
    /// Zone sets are bit masks (bit n = zone n), at most 16 zones.
    /// </summary>
    public sealed class ZoneValves
    {
        private readonly IValve[] _valves;
        private readonly IValve _master;
        private readonly bool[] _open;
        private readonly bool[] _valveOpen;
        private readonly long[] _openedAtMs;
        private readonly long[] _valveAtMs;
        private readonly long[] _leaseEndMs;
        private readonly IrrigationReason[] _reason;
        private int _maxOpen;
        private long _leadMs;
        private long _lagMs;
        private bool _masterOpen;
        private bool _masterLocked;
        private long _idleSinceMs = -1;

        /// <summary>Creates the bank for <paramref name="valves"/> (one per zone) with at most <paramref name="maxOpen"/> open at once.</summary>
        public ZoneValves(IValve[] valves, int maxOpen)
            : this(valves, null, maxOpen)
        {
        }

        /// <summary>
        /// Creates the bank for <paramref name="valves"/> (one per zone) and the main line's <paramref name="master"/>
        /// valve or pump relay (null: none), with at most <paramref name="maxOpen"/> zones open at once.
        /// </summary>
        public ZoneValves(IValve[] valves, IValve master, int maxOpen)
        {
            _valves = valves;
            _master = master;
            _open = new bool[valves.Length];
            _valveOpen = new bool[valves.Length];
            _openedAtMs = new long[valves.Length];
            _valveAtMs = new long[valves.Length];
            _leaseEndMs = new long[valves.Length];
            _reason = new IrrigationReason[valves.Length];
            _maxOpen = maxOpen < 1 ? 1 : maxOpen;
        }

        /// <summary>True when the board has a master valve or pump relay.</summary>
        public bool HasMaster
        {
            get { return _master != null; }
        }

        /// <summary>True while the master valve is open.</summary>
        public bool IsMasterOpen
        {
            get { return _masterOpen; }
        }

        /// <summary>True while a leak lock keeps the master valve closed.</summary>
        public bool IsMasterLocked
        {
            get { return _masterLocked; }
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

        /// <summary>True when zone <paramref name="zone"/> is open (leased; its valve may still wait for the master's lead).</summary>
        public bool IsOpen(int zone)
        {
            return zone >= 0 && zone < _open.Length && _open[zone];
        }

        /// <summary>True when the valve of zone <paramref name="zone"/> is open right now.</summary>
        public bool IsValveOpen(int zone)
        {
            return zone >= 0 && zone < _open.Length && _valveOpen[zone];
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

        /// <summary>How long the master opens before a zone valve and stays open after the last one, in seconds.</summary>
        public void SetMasterTiming(int leadSeconds, int lagSeconds)
        {
            _leadMs = (long)leadSeconds * 1000;
            _lagMs = (long)lagSeconds * 1000;
        }

        /// <summary>
        /// A leak lock (true) closes the master valve at once and keeps it closed, whatever the zones do; false lets
        /// it open again with the next zone.
        /// </summary>
        public void LockMaster(bool locked)
        {
            _masterLocked = locked;
            if (locked)
            {
                SetMaster(false);
            }
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

        /// <summary>Closes every valve and the master, whatever the recorded state (boot: GPIOs floated until now).</summary>
        public void CloseAll()
        {
            for (int i = 0; i < _valves.Length; i++)
            {
                _open[i] = false;
                _valveOpen[i] = false;
                _valves[i].SetOpen(false);
            }

            if (_master != null)
            {
                _master.SetOpen(false);
            }

            _masterOpen = false;
            _idleSinceMs = -1;
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

            _reason[zone] = reason;
            if (!_open[zone])
            {
                _openedAtMs[zone] = nowMs;
                _open[zone] = true;
                // The master opens first; the zone's valve (and its lease) follows after the lead, unless the main
                // line is already open.
                _valveAtMs[zone] = _master == null || _masterOpen || _masterLocked ? nowMs : nowMs + _leadMs;
                Drive(nowMs);
            }

            _leaseEndMs[zone] = (_valveAtMs[zone] > nowMs ? _valveAtMs[zone] : nowMs) + (long)durationSeconds * 1000;
            return true;
        }

        /// <summary>
        /// Moves the valves to where the leases want them at <paramref name="nowMs"/>: the master opens while any zone
        /// is open (unless locked) and closes <c>master_lag</c> after the last one; zone valves waiting for the
        /// master's lead open once it passed. Call after every change and once a tick.
        /// </summary>
        public void Drive(long nowMs)
        {
            if (OpenCount > 0)
            {
                _idleSinceMs = -1;
                SetMaster(!_masterLocked);
                for (int i = 0; i < _valves.Length; i++)
                {
                    if (_open[i] && !_valveOpen[i] && nowMs >= _valveAtMs[i])
                    {
                        _valveOpen[i] = true;
                        _valves[i].SetOpen(true);
                    }
                }

                return;
            }

            if (_masterOpen && _idleSinceMs < 0)
            {
                _idleSinceMs = nowMs;
            }

            if (_masterOpen && nowMs - _idleSinceMs >= _lagMs)
            {
                SetMaster(false);
            }
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
                    _valveOpen[i] = false;
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

        private void SetMaster(bool open)
        {
            if (_master == null || open == _masterOpen)
            {
                return;
            }

            _masterOpen = open;
            _master.SetOpen(open);
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
