using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// One entry of the ingest queue: something to store (an event, a command the server sent), something to ack after
/// the commit that holds it (an event, a rejected frame with a seq, a repeat), or both.
/// </summary>
/// <param name="Record">What to store, or null.</param>
/// <param name="Origin">The connection to ack, or null.</param>
/// <param name="Seq">The seq to ack.</param>
public sealed record IngestItem(IngestRecord? Record, ControllerSession? Origin, long Seq);
