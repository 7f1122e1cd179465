using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Caches device id → integer row key: readings store the small integer, not the name. Devices are never deleted,
/// so a cached key stays valid.
/// </summary>
public sealed class SqliteDeviceKeys
{
    private readonly ConcurrentDictionary<string, long> _keys = new(StringComparer.Ordinal);

    /// <summary>The row key of a device, or null if there is no such device.</summary>
    public long? Find(SqliteConnection connection, string deviceId)
    {
        if (_keys.TryGetValue(deviceId, out var key))
        {
            return key;
        }

        using var query = connection.CreateCommand();
        query.CommandText = "SELECT id FROM devices WHERE device_id = $d";
        query.Parameters.AddWithValue("$d", deviceId);
        if (query.ExecuteScalar() is long found)
        {
            _keys[deviceId] = found;
            return found;
        }

        return null;
    }
}
