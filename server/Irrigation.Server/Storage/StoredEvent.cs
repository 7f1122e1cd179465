namespace Irrigation.Server.Storage;

/// <summary>A stored non-reading event as the history API returns it.</summary>
/// <param name="Event">Wire event name.</param>
/// <param name="Category">See <see cref="EventCategory"/>.</param>
/// <param name="Time">Device time, Unix seconds.</param>
/// <param name="Received">Server receive time, Unix seconds.</param>
/// <param name="Boot">Boot id (0 for server-originated commands).</param>
/// <param name="Seq">Seq, null for server-originated commands.</param>
/// <param name="DataJson">The data object as JSON.</param>
public sealed record StoredEvent(string Event, string Category, long Time, long Received, long Boot, long? Seq, string DataJson);
