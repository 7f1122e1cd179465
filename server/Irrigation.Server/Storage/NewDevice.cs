namespace Irrigation.Server.Storage;

/// <summary>A device to be provisioned (the token is already hashed).</summary>
public sealed record NewDevice(string DeviceId, string Owner, string[] Zones, int MaxDurationSeconds, byte[] TokenHash);
