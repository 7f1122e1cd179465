using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Relay;

/// <summary>
/// Builds the server's frames as UTF-8 bytes. Each is built once: a tagged event is the same byte array for every
/// dashboard that receives it. A per-thread buffer and writer keep building allocation-free apart from the result.
/// </summary>
public static class ServerFrames
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>{"event":"welcome","data":{"time":T,"resume":R}}</summary>
    public static byte[] Welcome(long time, long resume) => Build(w =>
    {
        Start(w, EventNames.Welcome);
        w.WriteNumber("time", time);
        w.WriteNumber("resume", resume);
    });

    /// <summary>{"event":"ack","data":{"seq":S}}</summary>
    public static byte[] Ack(long seq)
    {
        // One per controller per committed batch: written directly, like the writer would ({"event":"ack","data":{"seq":N}}).
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var n);
        var frame = new byte[AckPrefix.Length + n + 2];
        AckPrefix.CopyTo(frame);
        digits[..n].CopyTo(frame.AsSpan(AckPrefix.Length));
        "}}"u8.CopyTo(frame.AsSpan(AckPrefix.Length + n));
        return frame;
    }

    /// <summary>{"event":"error","data":{"code":C,"message":M}}</summary>
    public static byte[] Error(string code, string message) => Build(w =>
    {
        Start(w, EventNames.Error);
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    /// <summary>
    /// A controller event as dashboards receive it: {"event":E,"device":D,"seq":S,"data":&lt;the controller's data
    /// bytes, copied verbatim&gt;}.
    /// </summary>
    public static byte[] Tagged(string eventName, string device, long? seq, ReadOnlySpan<byte> rawData) =>
        IsPlain(eventName) && IsPlain(device) ? TaggedPlain(eventName, device, seq, rawData) : TaggedWithWriter(eventName, device, seq, rawData);

    /// <summary>The tagged frame through Utf8JsonWriter, escaping what needs it (and what the fast path is checked against).</summary>
    internal static byte[] TaggedWithWriter(string eventName, string device, long? seq, ReadOnlySpan<byte> rawData)
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
        // Already validated JSON from the parser: copy it without re-encoding.
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

    /// <summary>device_online / device_offline: {"event":E,"device":D,"data":{"time":T}}.</summary>
    public static byte[] Presence(string device, bool online, long time)
    {
        var w = Writer(out var buffer);
        w.WriteStartObject();
        w.WriteString("event", online ? EventNames.DeviceOnline : EventNames.DeviceOffline);
        w.WriteString("device", device);
        w.WriteStartObject("data");
        w.WriteNumber("time", time);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Builds a frame whose body the caller writes into the data object.</summary>
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

    private static ReadOnlySpan<byte> AckPrefix => "{\"event\":\"ack\",\"data\":{\"seq\":"u8;

    // Every frame to dashboards goes through here: names and ids that need no JSON escaping (event names, and device
    // ids by their rule) are copied as they are, giving the bytes the writer would, without its per-character checks.
    private static byte[] TaggedPlain(string eventName, string device, long? seq, ReadOnlySpan<byte> rawData)
    {
        Span<byte> digits = stackalloc byte[20];
        var n = 0;
        if (seq is long s)
        {
            Utf8Formatter.TryFormat(s, digits, out n);
        }

        var length = "{\"event\":\""u8.Length + eventName.Length + "\",\"device\":\""u8.Length + device.Length + 1
            + (seq is null ? 0 : ",\"seq\":"u8.Length + n) + ",\"data\":"u8.Length + rawData.Length + 1;
        var frame = new byte[length];
        var at = Put(frame, 0, "{\"event\":\""u8);
        at += System.Text.Encoding.ASCII.GetBytes(eventName, frame.AsSpan(at));
        at = Put(frame, at, "\",\"device\":\""u8);
        at += System.Text.Encoding.ASCII.GetBytes(device, frame.AsSpan(at));
        frame[at++] = (byte)'"';
        if (seq is not null)
        {
            at = Put(frame, at, ",\"seq\":"u8);
            at = Put(frame, at, digits[..n]);
        }

        at = Put(frame, at, ",\"data\":"u8);
        at = Put(frame, at, rawData);
        frame[at] = (byte)'}';
        return frame;
    }

    private static int Put(byte[] frame, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(frame.AsSpan(at));
        return at + bytes.Length;
    }

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static Utf8JsonWriter Writer(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (t_writer is null)
        {
            t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false });
        }
        else
        {
            t_writer.Reset(buffer);
        }

        return t_writer;
    }
}
