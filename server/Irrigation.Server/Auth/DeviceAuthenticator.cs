using Irrigation.Server.Storage;

namespace Irrigation.Server.Auth;

/// <summary>Checks a controller's hello credentials against the store.</summary>
public sealed class DeviceAuthenticator(IAccountStore accounts)
{
    /// <summary>The device record when the device exists and the token matches; otherwise null.</summary>
    public async Task<DeviceRecord?> AuthenticateAsync(string deviceId, string token, CancellationToken ct = default)
    {
        var device = await accounts.FindDeviceAsync(deviceId, ct);
        return device is not null && Tokens.Matches(token, device.TokenHash) ? device : null;
    }
}
