namespace Irrigation.Server.Storage;

/// <summary>One controller boot's event stream: its events are numbered 1, 2, 3… by seq.</summary>
/// <param name="Device">The device's row key.</param>
/// <param name="Boot">The boot id from hello.</param>
public readonly record struct StreamKey(long Device, long Boot);
