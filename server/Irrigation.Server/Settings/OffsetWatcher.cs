using Irrigation.Server.Relay;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Settings;

/// <summary>
/// Sends a connected controller its new UTC offset when its time zone changes to or from summer time: once a minute
/// it compares the offset each time zone has now with the one each controller of this instance was last sent.
/// </summary>
public sealed class OffsetWatcher(
    ISettingsStore store, ControllerRegistry controllers, SettingsService settings, TimeProvider clock, ILogger<OffsetWatcher> log)
    : BackgroundService
{
    /// <summary>How often offsets are compared.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>One comparison: returns how many controllers were sent a new offset.</summary>
    public async Task<int> CheckOnceAsync(CancellationToken ct = default)
    {
        var zones = await store.TimeZonesAsync(ct);
        var now = clock.GetUtcNow();
        var sent = 0;
        foreach (var controller in controllers.All)
        {
            var offset = DeviceTimeZone.OffsetSeconds(zones.GetValueOrDefault(controller.DeviceId), now);
            if (offset == controller.UtcOffset)
            {
                continue;
            }

            log.LogInformation("Controller {Device}: UTC offset {Old} -> {New} s (time zone {Zone})",
                controller.DeviceId, controller.UtcOffset, offset, zones.GetValueOrDefault(controller.DeviceId) ?? "none");
            controller.UtcOffset = offset;
            await settings.PushAsync(controller.DeviceId, ct);
            sent++;
        }

        return sent;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, clock, stoppingToken);
                try
                {
                    await CheckOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Comparing UTC offsets failed; retrying in a minute");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
