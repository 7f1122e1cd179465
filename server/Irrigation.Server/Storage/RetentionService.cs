using Irrigation.Server.Options;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Storage;

/// <summary>
/// Prunes raw readings older than <see cref="StorageOptions.RetentionDays"/> in small transactions with a pause
/// between them, so the ingest writer never waits long for SQLite's write lock.
/// </summary>
public sealed class RetentionService(IEventStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<RetentionService> log)
    : BackgroundService
{
    /// <summary>Pause between two delete batches of one pass.</summary>
    public static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs one pass: deletes batches until none is left; returns how many rows went.</summary>
    public async Task<long> PruneOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var cutoff = clock.GetUtcNow().ToUnixTimeSeconds() - (long)o.RetentionDays * 86400;
        long total = 0;
        while (!ct.IsCancellationRequested)
        {
            var deleted = await store.PruneReadingsAsync(cutoff, o.PruneBatchSize, ct);
            total += deleted;
            if (deleted < o.PruneBatchSize)
            {
                break;
            }

            await Task.Delay(BatchPause, ct);
        }

        if (total > 0)
        {
            log.LogInformation("Retention: pruned {Rows} readings received before {Cutoff} ({Days} days)", total, cutoff, o.RetentionDays);
        }

        return total;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the server come up before the first pass.
        try
        {
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
