namespace Irrigation.Server.Relay;

/// <summary>
/// One user's dashboards and the lock that orders everything they see. The ingest writer applies a device's state
/// change and enqueues the frame to every dashboard inside this lock; a joining dashboard builds its snapshot and
/// registers inside it too, so it misses nothing and sees nothing twice. Enqueueing never blocks (no socket send
/// happens under the lock).
/// </summary>
public sealed class UserHub(string userId)
{
    private DashboardSession[] _dashboards = [];

    /// <summary>The user id.</summary>
    public string UserId { get; } = userId;

    /// <summary>The lock guarding the dashboards list and the user's <see cref="DeviceState"/>s.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The current dashboards (an immutable array, replaced on change; read it inside <see cref="Gate"/>).</summary>
    public DashboardSession[] Dashboards => Volatile.Read(ref _dashboards);

    /// <summary>Adds a dashboard; call inside <see cref="Gate"/>.</summary>
    public void Add(DashboardSession dashboard) => _dashboards = [.. _dashboards, dashboard];

    /// <summary>Removes a dashboard (takes the gate).</summary>
    public void Remove(DashboardSession dashboard)
    {
        lock (Gate)
        {
            _dashboards = Array.FindAll(_dashboards, d => !ReferenceEquals(d, dashboard));
        }
    }

    /// <summary>Enqueues one frame to every dashboard; call inside <see cref="Gate"/>.</summary>
    public void Broadcast(byte[] frame, bool droppable)
    {
        foreach (var dashboard in _dashboards)
        {
            dashboard.Enqueue(frame, droppable);
        }
    }
}
