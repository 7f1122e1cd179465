using System.Collections.Concurrent;

namespace Irrigation.Server.Relay;

/// <summary>The hub of every user seen since start (small: one object per user).</summary>
public sealed class UserHubs
{
    private readonly ConcurrentDictionary<string, UserHub> _hubs = new(StringComparer.Ordinal);

    /// <summary>The user's hub, created on first use.</summary>
    public UserHub Get(string userId) => _hubs.GetOrAdd(userId, id => new UserHub(id));

    /// <summary>Every dashboard of every user (for shutdown and metrics).</summary>
    public IEnumerable<DashboardSession> AllDashboards() => _hubs.Values.SelectMany(h => h.Dashboards);
}
