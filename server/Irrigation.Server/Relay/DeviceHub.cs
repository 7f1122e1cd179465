using System.Text.Json;
using Irrigation.Server.Auth;

namespace Irrigation.Server.Relay;

/// <summary>
/// One device's live state and the dashboards that watch it, with the lock that orders everything they see: an
/// event's state change and its frame to every dashboard happen in one step under <see cref="Gate"/>, and a joining
/// dashboard reads the state and registers in one step too, so it misses nothing and sees nothing twice.
/// Enqueueing never blocks (no socket send happens under the lock). An optional <see cref="IDeviceObserver"/> is
/// told of each published change in the same step (it queues without blocking).
/// </summary>
public sealed class DeviceHub(DeviceState state, IDeviceObserver? observer = null)
{
    // A controller seldom has more than one boot in flight; the two newest are kept for a replaced old connection.
    private const int BootsKept = 2;

    private readonly List<BootStream> _boots = [];
    private DashboardSession[] _dashboards = [];

    /// <summary>The device id.</summary>
    public string DeviceId => State.DeviceId;

    /// <summary>The device's state; read and change it inside <see cref="Gate"/>.</summary>
    public DeviceState State { get; } = state;

    /// <summary>The lock guarding <see cref="State"/> and the dashboards.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Dashboards watching now (an immutable array, replaced on change).</summary>
    public IReadOnlyList<DashboardSession> Dashboards => Volatile.Read(ref _dashboards);

    /// <summary>The live-path seq mark of a boot, raised to <paramref name="stored"/> (what welcome.resume said).</summary>
    public BootStream Boot(long boot, long stored)
    {
        lock (Gate)
        {
            var stream = _boots.Find(s => s.Boot == boot);
            if (stream is null)
            {
                stream = new BootStream(boot);
                _boots.Add(stream);
                if (_boots.Count > BootsKept)
                {
                    _boots.RemoveAt(0);
                }
            }

            stream.AtLeast(stored);
            return stream;
        }
    }

    /// <summary>Applies an event to the state and queues its frame to every dashboard.</summary>
    public void Publish(in DeviceUpdate update, byte[] frame, bool droppable)
    {
        lock (Gate)
        {
            State.Apply(update);
            foreach (var dashboard in _dashboards)
            {
                dashboard.Enqueue(frame, droppable);
            }

            observer?.Published(this, update, frame);
        }
    }

    /// <summary>Queues a frame that changes no state (a command the server sent) to every dashboard.</summary>
    public void Broadcast(byte[] frame)
    {
        lock (Gate)
        {
            foreach (var dashboard in _dashboards)
            {
                dashboard.Enqueue(frame, droppable: false);
            }
        }
    }

    /// <summary>Writes the device's snapshot entry (as its user's role sees it) and registers the dashboard, in one step.</summary>
    public void Join(DashboardSession dashboard, Utf8JsonWriter snapshot, long now, DeviceRole role)
    {
        lock (Gate)
        {
            State.WriteJson(snapshot, now, role);
            Volatile.Write(ref _dashboards, [.. _dashboards, dashboard]);
        }
    }

    /// <summary>Stops sending to the dashboard.</summary>
    public void Leave(DashboardSession dashboard)
    {
        lock (Gate)
        {
            Volatile.Write(ref _dashboards, Array.FindAll(_dashboards, d => !ReferenceEquals(d, dashboard)));
        }
    }

    /// <summary>The device as GET /api/devices shows it to a user of <paramref name="role"/>.</summary>
    public void WriteJson(Utf8JsonWriter w, long now, DeviceRole role)
    {
        lock (Gate)
        {
            State.WriteJson(w, now, role);
        }
    }
}
