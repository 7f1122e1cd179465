using System.Buffers;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;

namespace Irrigation.Server.Relay;

/// <summary>The device list as the snapshot frame and GET /api/devices both show it.</summary>
public static class DeviceListJson
{
    /// <summary>
    /// {"event":"snapshot","data":{"devices":[...]}}, joining <paramref name="dashboard"/> to each device's hub as its
    /// entry is written (see <see cref="DeviceHub.Join"/>).
    /// </summary>
    public static byte[] Snapshot(IReadOnlyList<(DeviceHub Hub, DeviceRole Role)> devices, DashboardSession dashboard, long now) => ServerFrames.Build(w =>
    {
        ServerFrames.Start(w, EventNames.Snapshot);
        w.WriteStartArray("devices");
        foreach (var (hub, role) in devices)
        {
            hub.Join(dashboard, w, now, role);
        }

        w.WriteEndArray();
    });

    /// <summary>{"devices":[...]} for the REST API.</summary>
    public static byte[] Document(IReadOnlyList<(DeviceHub Hub, DeviceRole Role)> devices, long now)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteStartArray("devices");
        foreach (var (hub, role) in devices)
        {
            hub.WriteJson(w, now, role);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
