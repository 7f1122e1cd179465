using System.Collections.Concurrent;

namespace Irrigation.Server.Relay;

/// <summary>Every dashboard connected to this instance, so a change of credentials can close the ones it affects.</summary>
public sealed class DashboardRegistry
{
    private readonly ConcurrentDictionary<DashboardSession, byte> _sessions = new();

    /// <summary>Adds a connected dashboard.</summary>
    public void Add(DashboardSession session) => _sessions.TryAdd(session, 0);

    /// <summary>Removes a dashboard that closed.</summary>
    public void Remove(DashboardSession session) => _sessions.TryRemove(session, out _);

    /// <summary>The dashboards connected now.</summary>
    public IReadOnlyCollection<DashboardSession> All => (IReadOnlyCollection<DashboardSession>)_sessions.Keys;
}
