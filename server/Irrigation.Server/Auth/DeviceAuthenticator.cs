using Irrigation.Server.Storage;

namespace Irrigation.Server.Auth;

/// <summary>Checks a controller's hello credentials against the store, with failed attempts throttled.</summary>
public sealed class DeviceAuthenticator(IAccountStore accounts, AuthThrottle throttle)
{
    /// <summary>
    /// The device record when the device exists and the token matches (compared in constant time); null otherwise.
    /// <c>Throttled</c> is true when the attempt was refused for too many failures from that address or for that id.
    /// </summary>
    public async Task<(DeviceRecord? Device, bool Throttled)> AuthenticateAsync(string deviceId, string token, string address, CancellationToken ct = default)
    {
        var decision = throttle.Check(address, deviceId);
        if (decision.Refused)
        {
            return (null, true);
        }

        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, ct);
        }

        var device = await accounts.FindDeviceAsync(deviceId, ct);
        if (device is null || !Tokens.Matches(token, device.TokenHash))
        {
            throttle.Failed(address, deviceId);
            return (null, false);
        }

        throttle.Succeeded(deviceId);
        return (device, false);
    }
}
