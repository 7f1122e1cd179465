namespace Irrigation.Server.Storage;

/// <summary>A provisioned controller as stored.</summary>
/// <param name="DeviceId">The device id of hello and the URLs.</param>
/// <param name="Owner">The user id that owns it.</param>
/// <param name="Zones">Zone names; empty until provisioned or reported by the controller's hello.</param>
/// <param name="MaxDurationSeconds">Longest irrigate duration the API accepts for it.</param>
/// <param name="TokenHash">SHA-256 of the device token.</param>
public sealed record DeviceRecord(string DeviceId, string Owner, string[] Zones, int MaxDurationSeconds, byte[] TokenHash);
