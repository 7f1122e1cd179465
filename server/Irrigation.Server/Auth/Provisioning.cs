using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Auth;

/// <summary>
/// Creates users and devices and issues their tokens (shown once, stored hashed). Used by the command line and by
/// anything in-process that needs accounts (the simulator creates user <c>demo</c> and devices <c>sim-01</c>…).
/// </summary>
public sealed class Provisioning(IAccountStore accounts, IAuditLog audit, CredentialChanges changes, TimeProvider clock, IOptions<RelayOptions> relayOptions)
{
    /// <summary>Creates a user and returns its token; fails for a bad or existing id.</summary>
    public async Task<ProvisioningOutcome> CreateUserAsync(string userId, CancellationToken ct = default)
    {
        if (!Identifiers.IsValidId(userId))
        {
            return ProvisioningOutcome.Failure($"bad user id '{userId}': {Identifiers.IdRule}");
        }

        var token = Tokens.NewToken();
        var result = await accounts.CreateUserAsync(userId, Tokens.Hash(token), ct);
        return result.Ok ? ProvisioningOutcome.Success(token) : ProvisioningOutcome.Failure($"user '{userId}' already exists");
    }

    /// <summary>Creates the user if missing; returns true when it was created. Issues no token (see <see cref="IssueUserTokenAsync"/>).</summary>
    public async Task<bool> EnsureUserAsync(string userId, CancellationToken ct = default)
    {
        if (await accounts.UserExistsAsync(userId, ct))
        {
            return false;
        }

        var outcome = await CreateUserAsync(userId, ct);
        return outcome.Ok;
    }

    /// <summary>Creates the user if missing, otherwise replaces its token; returns the new token (the old one stops working).</summary>
    public async Task<ProvisioningOutcome> IssueUserTokenAsync(string userId, CancellationToken ct = default)
    {
        var created = await CreateUserAsync(userId, ct);
        if (created.Ok || !Identifiers.IsValidId(userId))
        {
            return created;
        }

        var token = Tokens.NewToken();
        var result = await accounts.SetUserTokenAsync(userId, Tokens.Hash(token), ct);
        return result.Ok ? ProvisioningOutcome.Success(token) : ProvisioningOutcome.Failure($"unknown user '{userId}'");
    }

    /// <summary>
    /// Creates a device owned by <paramref name="owner"/> and returns its token. Zones may be empty: the controller's
    /// hello then supplies them. <paramref name="maxDurationSeconds"/> defaults to Relay:DefaultMaxDurationSeconds.
    /// </summary>
    public async Task<ProvisioningOutcome> AddDeviceAsync(
        string deviceId, string owner, IReadOnlyList<string> zones, int? maxDurationSeconds = null, CancellationToken ct = default)
    {
        var outcome = await ImportAsync([new DeviceSpec(deviceId, owner, zones, maxDurationSeconds)], ct);
        return outcome.Ok ? ProvisioningOutcome.Success(outcome.Tokens[0].Value) : ProvisioningOutcome.Failure(outcome.Error!);
    }

    /// <summary>Creates the device if missing, otherwise replaces its token; returns the new token.</summary>
    public async Task<ProvisioningOutcome> EnsureDeviceAsync(
        string deviceId, string owner, IReadOnlyList<string> zones, CancellationToken ct = default)
    {
        if (await accounts.FindDeviceAsync(deviceId, ct) is null)
        {
            return await AddDeviceAsync(deviceId, owner, zones, null, ct);
        }

        var token = Tokens.NewToken();
        await accounts.SetDeviceTokenAsync(deviceId, Tokens.Hash(token), ct);
        return ProvisioningOutcome.Success(token);
    }

    /// <summary>
    /// Creates every device or none. Errors name the item by its 1-based position (the CSV line number for the CLI).
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(IReadOnlyList<DeviceSpec> specs, CancellationToken ct = default)
    {
        var maxDefault = relayOptions.Value.DefaultMaxDurationSeconds;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var devices = new List<NewDevice>(specs.Count);
        var tokens = new List<KeyValuePair<string, string>>(specs.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var where = Where(spec, i, specs.Count);
            if (!Identifiers.IsValidId(spec.DeviceId))
            {
                return Failed($"{where}bad device id '{spec.DeviceId}': {Identifiers.IdRule}");
            }

            if (!Identifiers.IsValidId(spec.Owner))
            {
                return Failed($"{where}bad owner '{spec.Owner}': {Identifiers.IdRule}");
            }

            foreach (var zone in spec.Zones)
            {
                if (!Identifiers.IsValidZone(zone))
                {
                    return Failed($"{where}bad zone name '{zone}': {Identifiers.ZoneRule}");
                }
            }

            if (spec.Zones.Distinct(StringComparer.Ordinal).Count() != spec.Zones.Count)
            {
                return Failed($"{where}zone names of '{spec.DeviceId}' repeat");
            }

            if (spec.MaxDurationSeconds is < 1)
            {
                return Failed($"{where}the maximum duration must be at least 1 second");
            }

            if (!seen.Add(spec.DeviceId))
            {
                return Failed($"{where}device '{spec.DeviceId}' appears twice");
            }

            var token = Tokens.NewToken();
            tokens.Add(new(spec.DeviceId, token));
            devices.Add(new NewDevice(spec.DeviceId, spec.Owner, [.. spec.Zones], spec.MaxDurationSeconds ?? maxDefault, Tokens.Hash(token)));
        }

        var result = await accounts.AddDevicesAsync(devices, ct);
        if (result.Ok)
        {
            return new ImportOutcome(tokens, null);
        }

        var bad = specs[result.Index];
        var at = Where(bad, result.Index, specs.Count);
        return Failed(result.Error == ProvisionError.UnknownOwner
            ? $"{at}unknown user '{bad.Owner}' (create it with: users add {bad.Owner})"
            : $"{at}device '{bad.DeviceId}' already exists");
    }

    /// <summary>
    /// Gives the device a new token: the old one stops working, and the controller connected with it is closed within
    /// a second. Audited under the device.
    /// </summary>
    public async Task<ProvisioningOutcome> RotateDeviceTokenAsync(string actor, string deviceId, CancellationToken ct = default)
    {
        var token = Tokens.NewToken();
        var result = await accounts.SetDeviceTokenAsync(deviceId, Tokens.Hash(token), ct);
        return await CredentialOutcomeAsync(actor, [deviceId], "rotate-token", "device token", result, token, $"no device '{deviceId}'", ct);
    }

    /// <summary>Makes the device's token unusable until it is rotated (a stolen board); its connection is closed.</summary>
    public async Task<ProvisioningOutcome> RevokeDeviceTokenAsync(string actor, string deviceId, CancellationToken ct = default)
    {
        var result = await accounts.SetDeviceTokenAsync(deviceId, UnusableHash(), ct);
        return await CredentialOutcomeAsync(actor, [deviceId], "revoke-token", "device token", result, "", $"no device '{deviceId}'", ct);
    }

    /// <summary>Gives the user a new token; the old one stops working and their dashboards are closed within a second.</summary>
    public async Task<ProvisioningOutcome> RotateUserTokenAsync(string actor, string userId, CancellationToken ct = default)
    {
        var devices = await DeviceIdsOfAsync(userId, ct);
        var token = Tokens.NewToken();
        var result = await accounts.SetUserTokenAsync(userId, Tokens.Hash(token), ct);
        return await CredentialOutcomeAsync(actor, devices, "rotate-token", $"token of user {userId}", result, token, $"no user '{userId}'", ct);
    }

    /// <summary>Makes the user's token unusable until it is rotated; their dashboards are closed.</summary>
    public async Task<ProvisioningOutcome> RevokeUserTokenAsync(string actor, string userId, CancellationToken ct = default)
    {
        var devices = await DeviceIdsOfAsync(userId, ct);
        var result = await accounts.SetUserTokenAsync(userId, UnusableHash(), ct);
        return await CredentialOutcomeAsync(actor, devices, "revoke-token", $"token of user {userId}", result, "", $"no user '{userId}'", ct);
    }

    /// <summary>Removes a device with its history; its controller is closed.</summary>
    public async Task<string?> RemoveDeviceAsync(string actor, string deviceId, CancellationToken ct = default)
    {
        var result = await accounts.RemoveDeviceAsync(deviceId, ct);
        return (await CredentialOutcomeAsync(actor, [deviceId], "remove", "device and its history", result, "", $"no device '{deviceId}'", ct)).Error;
    }

    /// <summary>Removes a user who owns no device; their memberships go, their dashboards are closed.</summary>
    public async Task<string?> RemoveUserAsync(string actor, string userId, CancellationToken ct = default)
    {
        var devices = await DeviceIdsOfAsync(userId, ct);
        var result = await accounts.RemoveUserAsync(userId, ct);
        var missing = result.Error == ProvisionError.OwnsDevices
            ? $"'{userId}' owns {string.Join(", ", (await accounts.ListDevicesAsync(userId, ct)).Select(d => d.DeviceId))}: remove those devices first"
            : $"no user '{userId}'";
        return (await CredentialOutcomeAsync(actor, devices, "remove", $"user {userId}", result, "", missing, ct)).Error;
    }

    private async Task<string[]> DeviceIdsOfAsync(string userId, CancellationToken ct) =>
        [.. (await accounts.ListAccessibleDevicesAsync(userId, ct)).Select(a => a.Device.DeviceId)];

    // Announces a committed change, audits it under every device it concerns, and turns the result into an outcome.
    private async Task<ProvisioningOutcome> CredentialOutcomeAsync(
        string actor, IReadOnlyList<string> devices, string action, string detail, ProvisionResult result, string token, string notFound, CancellationToken ct)
    {
        var error = result.Ok ? null : notFound;
        if (error is null)
        {
            changes.Notify();
        }

        foreach (var device in devices)
        {
            await audit.RecordAsync(new AuditEntry(clock.GetUtcNow().ToUnixTimeSeconds(), device, actor, action, detail, error ?? "ok"), ct);
        }

        return error is null ? ProvisioningOutcome.Success(token) : ProvisioningOutcome.Failure(error);
    }

    // A hash no token has (its preimage was never known to anyone): the account exists, nothing signs in.
    private static byte[] UnusableHash() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private static ImportOutcome Failed(string error) => new([], error);

    private static string Where(DeviceSpec spec, int index, int count) =>
        spec.Line is int line ? $"line {line}: " : count > 1 ? $"item {index + 1}: " : "";
}
