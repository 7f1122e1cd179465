using System.Diagnostics;
using Irrigation.Server.Observability;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Runs the <see cref="SqliteSeriesIndexer"/> on its own thread: a step when enough readings wait or the interval
/// passed, off the ingest writer's path (the ack of an event never waits for indexing), and a passive checkpoint of
/// the database's WAL about once an interval (<see cref="SqliteSeriesIndexer.CheckpointLog"/>). A long backlog (a
/// rebuilt index, an upgrade) is worked off in bounded steps with progress in the log.
/// </summary>
public sealed class SeriesIndexService(SqliteDatabase database, RelayMetrics metrics, ILogger<SeriesIndexService> log) : BackgroundService
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // SQLite blocks: a thread of its own instead of a pool thread.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var index = database.SeriesIndex;
        metrics.SeriesIndexPending = () => index.Pending;
        var backlog = index.Pending;
        var catchingUp = backlog > SqliteSeriesIndexer.MaxStepRows;
        if (catchingUp)
        {
            log.LogInformation("Series index {Path}{Rebuilt}: indexing {Rows} readings in the background; history queries are slower until it is done",
                database.SeriesIndexPath, index.Rebuilt ? " (re)created" : "", backlog);
        }

        var lastProgress = Stopwatch.GetTimestamp();
        var lastCheckpoint = Stopwatch.GetTimestamp();
        long done = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            index.WaitUntilDue(stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                continue;
            }

            if (Stopwatch.GetElapsedTime(lastCheckpoint) >= index.Interval)
            {
                Checkpoint(index);
                lastCheckpoint = Stopwatch.GetTimestamp();
            }

            if (index.Pending == 0)
            {
                continue;
            }

            try
            {
                done += index.Step();
            }
            catch (SqliteException e)
            {
                // Queries stay complete at any lag (they read the unindexed tail); try again at the next interval.
                log.LogWarning(e, "Series index step failed; retrying");
                stoppingToken.WaitHandle.WaitOne(index.Interval);
                continue;
            }

            if (catchingUp && (index.Pending < index.MaxLagRows || Stopwatch.GetElapsedTime(lastProgress) >= ProgressInterval))
            {
                catchingUp = index.Pending >= index.MaxLagRows;
                log.LogInformation("Series index: {Done} readings indexed, {Left} left", done, index.Pending);
                lastProgress = Stopwatch.GetTimestamp();
            }
        }
    }

    private void Checkpoint(SqliteSeriesIndexer index)
    {
        try
        {
            index.CheckpointLog();
        }
        catch (SqliteException e)
        {
            // The writer's own automatic checkpoint still bounds the WAL.
            log.LogWarning(e, "Checkpoint of the database's WAL failed; retrying at the next interval");
        }
    }
}
