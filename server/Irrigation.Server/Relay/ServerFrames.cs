using System.Buffers;
using System.Text.Json;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Relay;

/// <summary>
/// Builds the server's frames as UTF-8 bytes. Each is built once: a tagged event is the same byte array for every
/// dashboard that receives it. A per-thread buffer and writer are reused, so building allocates only the result.
/// </summary>
public static class ServerFrames
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>{"event":"welcome","data":{"time":T,"resume":R,"utc_offset":O}}</summary>
    public static byte[] Welcome(long time, long resume, int utcOffset) => Build(w =>
    {
        Start(w, EventNames.Welcome);
        w.WriteNumber("time", time);
        w.WriteNumber("resume", resume);
        w.WriteNumber("utc_offset", utcOffset);
    });

    /// <summary>{"event":"ack","data":{"seq":S}}</summary>
    public static byte[] Ack(long seq) => Build(w =>
    {
        Start(w, EventNames.Ack);
        w.WriteNumber("seq", seq);
    });

    /// <summary>{"event":"error","data":{"code":C,"message":M}}</summary>
    public static byte[] Error(string code, string message) => Build(w =>
    {
        Start(w, EventNames.Error);
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    /// <summary>
    /// An event as dashboards receive it: {"event":E,"device":D,"seq":S,"data":&lt;the data bytes, copied verbatim&gt;}
    /// (no seq for the server's own frames).
    /// </summary>
    public static byte[] Tagged(string eventName, string device, long? seq, ReadOnlySpan<byte> rawData)
    {
        var w = Writer(out var buffer);
        w.WriteStartObject();
        w.WriteString("event", eventName);
        w.WriteString("device", device);
        if (seq is long s)
        {
            w.WriteNumber("seq", s);
        }

        w.WritePropertyName("data");
        // Already validated JSON from the parser: copied without re-encoding.
        w.WriteRawValue(rawData, skipInputValidation: true);
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>{"event":E,"data":&lt;raw data bytes&gt;}</summary>
    public static byte[] Envelope(string eventName, ReadOnlySpan<byte> rawData)
    {
        var w = Writer(out var buffer);
        w.WriteStartObject();
        w.WriteString("event", eventName);
        w.WritePropertyName("data");
        w.WriteRawValue(rawData, skipInputValidation: true);
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// device_online / device_offline: {"event":E,"device":D,"data":{"time":T}}; device_online also carries the
    /// firmware version the controller's hello reported, when it reported one ({"time":T,"firmware":"1.0.0"}).
    /// </summary>
    public static byte[] Presence(string device, bool online, long time, string? firmware = null)
    {
        var w = Writer(out var buffer);
        w.WriteStartObject();
        w.WriteString("event", online ? EventNames.DeviceOnline : EventNames.DeviceOffline);
        w.WriteString("device", device);
        w.WriteStartObject("data");
        w.WriteNumber("time", time);
        if (online && firmware is not null)
        {
            w.WriteString("firmware", firmware);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Builds a frame whose body the caller writes, starting with <see cref="Start"/>.</summary>
    public static byte[] Build(Action<Utf8JsonWriter> writeData)
    {
        var w = Writer(out var buffer);
        writeData(w);
        w.WriteEndObject(); // data
        w.WriteEndObject(); // envelope
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes {"event":name,"data":{ and leaves the data object open.</summary>
    public static void Start(Utf8JsonWriter w, string eventName)
    {
        w.WriteStartObject();
        w.WriteString("event", eventName);
        w.WriteStartObject("data");
    }

    private static Utf8JsonWriter Writer(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (t_writer is null)
        {
            t_writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            t_writer.Reset(buffer);
        }

        return t_writer;
    }
}
