using System.Text.Json;

namespace Irrigation.Server.Relay;

/// <summary>
/// The outcome of validating one controller frame. Owns the parsed document (dispose it). <see cref="Seq"/> is set
/// whenever the frame carried a valid seq, also for rejected frames, because a rejected frame is acknowledged too.
/// </summary>
public struct FrameCheck : IDisposable
{
    /// <summary>Null when the frame is valid; otherwise one of <see cref="Irrigation.Core.Protocol.ErrorCodes"/>.</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>Human-readable reason for the error frame and the log.</summary>
    public string? Message { get; internal set; }

    /// <summary>The event name when it was a string.</summary>
    public string? Event { get; internal set; }

    /// <summary>The top-level seq when it was a positive integer.</summary>
    public long? Seq { get; internal set; }

    /// <summary>data.time of a valid frame.</summary>
    public long Time { get; internal set; }

    /// <summary>The parsed frame (null for bad_json).</summary>
    public JsonDocument? Document { get; internal set; }

    /// <summary>The data object of a valid frame (a view into <see cref="Document"/>).</summary>
    public JsonElement Data { get; internal set; }

    /// <summary>The bytes of the data object of a valid frame, as the controller sent them.</summary>
    public ReadOnlyMemory<byte> RawData { get; internal set; }

    /// <summary>data.record of a valid reading.</summary>
    public long Record { get; internal set; }

    /// <summary>data.raw of a valid soil_moisture reading.</summary>
    public long? Raw { get; internal set; }

    /// <summary>data.zone of a valid soil_moisture reading, when given.</summary>
    public string? Zone { get; internal set; }

    /// <summary>True when the frame is valid.</summary>
    public readonly bool Ok => ErrorCode is null;

    /// <inheritdoc />
    public void Dispose()
    {
        Document?.Dispose();
        Document = null;
    }
}
