using System.Buffers;
using System.Text.Json;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Relay;

/// <summary>The device list as the snapshot frame and GET /api/devices both show it.</summary>
public static class DeviceListJson
{
    /// <summary>
    /// {"event":"snapshot","data":{"devices":[...]}}, joining <paramref name="dashboard"/> to each device's hub as its
    /// entry is written (see <see cref="DeviceHub.Join"/>).
    /// </summary>
    public static byte[] Snapshot(IReadOnlyList<DeviceHub> devices, DashboardSession dashboard, long now) => ServerFrames.Build(w =>
    {
        ServerFrames.Start(w, EventNames.Snapshot);
        w.WriteStartArray("devices");
        foreach (var device in devices)
        {
            device.Join(dashboard, w, now);
        }

        w.WriteEndArray();
    });

    /// <summary>{"devices":[...]} for the REST API.</summary>
    public static byte[] Document(IReadOnlyList<DeviceHub> devices, long now)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteStartArray("devices");
        foreach (var device in devices)
        {
            device.WriteJson(w, now);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
