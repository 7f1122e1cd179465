using System.Collections.Concurrent;

namespace Irrigation.Server.Relay;

/// <summary>The current connection of each online device (a new hello replaces the previous connection).</summary>
public sealed class ControllerRegistry
{
    private readonly ConcurrentDictionary<string, ControllerSession> _byDevice = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="session"/> the device's connection; returns the one it replaced, if any.</summary>
    public ControllerSession? Register(ControllerSession session)
    {
        ControllerSession? replaced = null;
        _byDevice.AddOrUpdate(session.DeviceId, session, (_, previous) =>
        {
            replaced = previous;
            return session;
        });
        return replaced;
    }

    /// <summary>Removes the session if it is still the device's connection; true when it was (the device is now offline).</summary>
    public bool Unregister(ControllerSession session) =>
        _byDevice.TryRemove(new KeyValuePair<string, ControllerSession>(session.DeviceId, session));

    /// <summary>The device's connection, or null when offline.</summary>
    public ControllerSession? Find(string deviceId) => _byDevice.GetValueOrDefault(deviceId);

    /// <summary>Every controller connected to this instance now.</summary>
    public ICollection<ControllerSession> All => _byDevice.Values;

    /// <summary>Connected controllers now.</summary>
    public int Count => _byDevice.Count;
}
