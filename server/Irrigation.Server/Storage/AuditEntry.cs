namespace Irrigation.Server.Storage;

/// <summary>One line of a device's audit trail.</summary>
/// <param name="Time">When, Unix seconds (server clock).</param>
/// <param name="DeviceId">Which device.</param>
/// <param name="Actor">Who: a user id ("cli" for the command line); a command through the MQTT bridge names its user, with "(via mqtt)" in the detail.</param>
/// <param name="Action">What: irrigate, stop, share, unshare, rotate-token, revoke-token, remove, settings, …</param>
/// <param name="Detail">The particulars ("zones zone1 for 600 s", "bob as viewer").</param>
/// <param name="Outcome">How it ended: "ok", "sent c-17", "offline", "forbidden", an error.</param>
public sealed record AuditEntry(long Time, string DeviceId, string Actor, string Action, string Detail, string Outcome);
