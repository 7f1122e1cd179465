using Irrigation.Server.Options;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Storage;

/// <summary>
/// Prunes readings older than <see cref="StorageOptions.RetentionDays"/> (by their device time) in small statements
/// with a pause between them, so the ingest writer never waits long for the write lock.
/// </summary>
public sealed class RetentionService(IEventStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<RetentionService> log)
    : BackgroundService
{
    /// <summary>Pause between two delete statements of one pass.</summary>
    public static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs one pass; returns how many readings went.</summary>
    public async Task<long> PruneOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var cutoff = clock.GetUtcNow().ToUnixTimeSeconds() - (long)o.RetentionDays * 86400;
        var total = await store.PruneReadingsAsync(cutoff, Math.Max(1, o.PruneBatchSize), BatchPause, ct);
        if (total > 0)
        {
            log.LogInformation("Retention: pruned {Rows} readings older than {Cutoff} ({Days} days)", total, cutoff, o.RetentionDays);
        }

        return total;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Let the server come up before the first pass.
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PruneOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Retention pass failed; retrying at the next interval");
                }

                await Task.Delay(options.Value.PruneInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
