using System.Net.WebSockets;
using System.Security.Cryptography;
using Irrigation.Server.Auth;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// Keeps live connections honest when credentials change. Every change of a token, a membership, a user or a device
/// raises a version in the database (from this process, the CLI or another instance); this service reads it twice a
/// second, or at once when this process made the change, and checks each connection of this instance again: a
/// controller whose token changed, or whose device is gone, is closed (1008); a dashboard whose user's token changed
/// or who lost a device is closed (1008); one that gained a device or changed role is asked to reconnect for a fresh
/// snapshot (1013). So a rotated, revoked or removed principal is off within a second and the old token never works.
/// </summary>
public sealed class CredentialWatcher(
    IAccountStore accounts,
    ControllerRegistry controllers,
    DashboardRegistry dashboards,
    CredentialChanges changes,
    ILogger<CredentialWatcher> log) : BackgroundService
{
    /// <summary>How often the version is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _poke = new(0, 1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        changes.Changed += Poke;
        try
        {
            var seen = await accounts.GetCredentialsVersionAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await _poke.WaitAsync(PollInterval, stoppingToken);
                try
                {
                    var version = await accounts.GetCredentialsVersionAsync(stoppingToken);
                    if (version != seen)
                    {
                        seen = version;
                        await CheckConnectionsAsync(stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Checking live connections against changed credentials failed; retrying");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
        finally
        {
            changes.Changed -= Poke;
        }
    }

    private void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is pending already.
        }
    }

    private async Task CheckConnectionsAsync(CancellationToken ct)
    {
        foreach (var controller in controllers.All)
        {
            var record = await accounts.FindDeviceAsync(controller.DeviceId, ct);
            if (record is null || !CryptographicOperations.FixedTimeEquals(record.TokenHash, controller.TokenHash))
            {
                log.LogWarning("Controller {Device}: its token was rotated or revoked, or the device removed: closing", controller.DeviceId);
                controller.RequestClose(WebSocketCloseStatus.PolicyViolation, record is null ? "device removed" : "token no longer valid");
            }
        }

        foreach (var dashboard in dashboards.All)
        {
            var hash = await accounts.FindUserTokenHashAsync(dashboard.UserId, ct);
            if (hash is null || !CryptographicOperations.FixedTimeEquals(hash, dashboard.TokenHash))
            {
                log.LogWarning("Dashboard of {User}: token rotated or revoked, or the user removed: closing", dashboard.UserId);
                dashboard.RequestClose(WebSocketCloseStatus.PolicyViolation, hash is null ? "user removed" : "token no longer valid");
                continue;
            }

            var now = (await accounts.ListAccessibleDevicesAsync(dashboard.UserId, ct)).Select(a => (a.Device.DeviceId, a.Role)).ToHashSet();
            var before = dashboard.Watched.ToHashSet();
            if (before.Any(w => !now.Contains(w) && !now.Any(n => n.DeviceId == w.DeviceId)))
            {
                log.LogInformation("Dashboard of {User}: access to a device was taken away: closing", dashboard.UserId);
                dashboard.RequestClose(WebSocketCloseStatus.PolicyViolation, "access to a device was removed");
            }
            else if (!now.SetEquals(before))
            {
                // A new device or another role: the dashboard reconnects and gets a snapshot that shows it.
                dashboard.RequestClose(DashboardSession.Resync, "devices or roles changed: reconnect");
            }
        }
    }
}
