using Irrigation.Core.Protocol;

namespace Irrigation.Server.Relay;

/// <summary>The device list as the snapshot frame and GET /api/devices both show it.</summary>
public static class DeviceListJson
{
    /// <summary>
    /// {"event":"snapshot","data":{"devices":[...]}}. Call inside the user's hub gate so the snapshot and the frames
    /// queued after it line up.
    /// </summary>
    public static byte[] Snapshot(IReadOnlyList<DeviceState> devices, long now) => ServerFrames.Build(w =>
    {
        ServerFrames.Start(w, EventNames.Snapshot);
        w.WriteStartArray("devices");
        foreach (var device in devices)
        {
            device.WriteJson(w, now);
        }

        w.WriteEndArray();
    });

    /// <summary>{"devices":[...]} for the REST API (takes the gate of each device's hub).</summary>
    public static byte[] Document(IReadOnlyList<DeviceState> devices, long now)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var w = new System.Text.Json.Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteStartArray("devices");
        foreach (var device in devices)
        {
            lock (device.Hub.Gate)
            {
                device.WriteJson(w, now);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
