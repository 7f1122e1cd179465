using System.Buffers;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// What the bridge reads from a device's hub (its one owner): presence, zones with their open state, the device's
/// maximum duration and the newest reading of each kind. Read through the same JSON that GET /api/devices serves,
/// in one step under the hub's lock.
/// </summary>
public sealed record DeviceSnapshot(bool Online, IReadOnlyList<(string Zone, bool Open)> Zones, int MaxDurationSeconds, IReadOnlyList<SnapshotReading> Readings)
{
    /// <summary>Reads the hub's state now.</summary>
    public static DeviceSnapshot Read(DeviceHub hub, long now)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            hub.WriteJson(w, now, DeviceRole.Owner);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var root = document.RootElement;
        var zones = root.GetProperty("zones").EnumerateArray()
            .Select(z => (z.GetProperty("zone").GetString()!, z.GetProperty("open").GetBoolean())).ToList();
        var readings = new List<SnapshotReading>();
        foreach (var kind in root.GetProperty("last").EnumerateObject())
        {
            var v = kind.Value;
            readings.Add(new SnapshotReading(kind.Name, v.GetProperty("time").GetInt64(), v.GetProperty("record").GetInt64(),
                v.TryGetProperty("zone", out var zone) ? zone.GetString() : null));
        }

        return new DeviceSnapshot(root.GetProperty("online").GetBoolean(), zones, root.GetProperty("max_duration").GetInt32(), readings);
    }
}
