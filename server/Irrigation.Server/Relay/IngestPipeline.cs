using System.Threading.Channels;
using Irrigation.Core.Protocol;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The bounded ingest channel, its single writer and its single completer. Receivers enqueue (waiting when the
/// channel is full, which pushes back on the sending controllers through TCP); the writer takes what is there (up to
/// a batch) and commits it in one transaction; only then does the completer update device state, broadcast to
/// dashboards and ack, batch after batch in commit order. One writer and one completer keep every device's events in
/// order, and an ack can never overtake the commit that made it true. The completer runs on the thread pool while the
/// writer commits the next batch: fan-out and SQLite overlap, and the wake-ups of the sockets' writer loops come from
/// a pool thread (its local queue) instead of the writer's own thread. When the store defers the fsync of its commits
/// (<see cref="IIngestSession.DefersSync"/>: SQLite with synchronous FULL), a syncer thread between the two makes
/// each batch durable before the completer sees it, while the writer already stores the next one.
/// </summary>
public sealed class IngestPipeline : BackgroundService
{
    // Committed batches waiting for the completer; when it lags this far the writer waits for it.
    private const int CommittedBatches = 4;

    private readonly Channel<IngestItem> _channel;
    private readonly Channel<CommittedBatch> _written;
    private readonly Channel<CommittedBatch> _committed;
    private readonly IEventStore _store;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<IngestPipeline> _log;
    private readonly int _batchSize;

    /// <summary>Creates the channel with the configured bound.</summary>
    public IngestPipeline(IEventStore store, IOptions<StorageOptions> options, RelayMetrics metrics, TimeProvider clock, ILogger<IngestPipeline> log)
    {
        _store = store;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _batchSize = Math.Max(1, options.Value.IngestBatchSize);
        _channel = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(Math.Max(1, options.Value.IngestQueueLength))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _written = Channel.CreateBounded<CommittedBatch>(new BoundedChannelOptions(CommittedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _committed = Channel.CreateBounded<CommittedBatch>(new BoundedChannelOptions(CommittedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.IngestQueueDepth = () => _channel.Reader.Count;
    }

    /// <summary>Adds an item, waiting while the channel is full. Throws ChannelClosedException after shutdown.</summary>
    public ValueTask EnqueueAsync(IngestItem item, CancellationToken ct = default) => _channel.Writer.WriteAsync(item, ct);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server stopped first (it is the last hosted service started): nothing enqueues any more.
        // Completing the channel lets the writer drain and commit what is left before it exits.
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The writer blocks on SQLite: give it its own thread instead of a pool thread.
        var writer = Task.Factory.StartNew(RunWriter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.WhenAll(writer, RunCompleterAsync());
    }

    private void RunWriter()
    {
        IIngestSession? session = null;
        Task? syncer = null;
        var output = _committed.Writer;
        try
        {
            session = _store.OpenIngestSession();
            if (session.DefersSync)
            {
                // Committed batches go through the syncer first (see RunSyncer).
                var deferred = session;
                syncer = Task.Factory.StartNew(() => RunSyncer(deferred), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                output = _written.Writer;
            }

            var reader = _channel.Reader;
            // Blocking waits on purpose: the loop stays on its own thread.
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // A fresh batch each time: the completer may still be working through the previous ones.
                var batch = new CommittedBatch(_batchSize);
                var toStore = 0;
                while (batch.Items.Count < _batchSize && reader.TryRead(out var item))
                {
                    batch.Items.Add(item);
                    batch.Records.Add(item.Record);
                    toStore += item.Record is null ? 0 : 1;
                }

                if (toStore > 0)
                {
                    Write(session, batch.Records, batch.Inserted);
                    batch.Stored = true;
                }

                Forward(output, batch);
            }
        }
        finally
        {
            // Lets the syncer and the completer finish what was committed, then stop (also when the session could
            // not be opened: the completer must end for the failure to reach the host); the session outlives the syncer.
            output.TryComplete();
            syncer?.GetAwaiter().GetResult();
            session?.Dispose();
        }
    }

    // The fsync of the writer's commits, on a thread of its own: while it runs the writer stores the next batch, and
    // one fsync covers every batch committed before it started. A batch reaches the completer (its acks) only after.
    private void RunSyncer(IIngestSession session)
    {
        var reader = _written.Reader;
        var synced = new List<CommittedBatch>();
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                var stored = false;
                while (reader.TryRead(out var batch))
                {
                    synced.Add(batch);
                    stored |= batch.Stored;
                }

                if (stored)
                {
                    Sync(session);
                }

                foreach (var batch in synced)
                {
                    Forward(_committed.Writer, batch);
                }

                synced.Clear();
            }
        }
        finally
        {
            _committed.Writer.TryComplete();
        }
    }

    // As with a failed commit: nothing is acked until the sync succeeded; the writer stops once the syncer is
    // CommittedBatches behind, the ingest channel fills up and the controllers wait.
    private void Sync(IIngestSession session) => UntilItSucceeds(session.Sync, "Syncing the event log to disk");

    private static void Forward(ChannelWriter<CommittedBatch> output, CommittedBatch batch)
    {
        if (!output.TryWrite(batch))
        {
            output.WriteAsync(batch).AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task RunCompleterAsync()
    {
        // The controllers to ack after the batch: one inline send each, on this thread, instead of one wake-up of
        // each controller's writer loop (a thread-pool hop per controller per batch).
        var acked = new HashSet<ControllerSession>();
        await foreach (var batch in _committed.Reader.ReadAllAsync())
        {
            var now = _clock.GetUtcNow().ToUnixTimeSeconds();
            for (var i = 0; i < batch.Items.Count; i++)
            {
                try
                {
                    Complete(batch.Items[i], batch.Inserted[i], now);
                }
                catch (Exception e)
                {
                    // A bug in one item's fan-out must not stop ingest for everyone.
                    _log.LogError(e, "Completing an ingest item of {Device} failed", batch.Items[i].State.DeviceId);
                }

                if (batch.Items[i].Origin is { } origin)
                {
                    acked.Add(origin);
                }
            }

            foreach (var session in acked)
            {
                session.SendQueuedInline();
            }

            acked.Clear();
        }
    }

    // Nothing is acked until this returns: on a storage error keep retrying the same batch (the channel fills up and
    // the controllers wait) rather than acknowledge what is not stored.
    private void Write(IIngestSession session, List<IngestRecord?> records, bool[] inserted) =>
        UntilItSucceeds(() => session.WriteBatch(records, inserted), $"Storing a batch of {records.Count} events");

    private void UntilItSucceeds(Action action, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                action();
                return;
            }
            catch (Exception e)
            {
                _log.LogError(e, "{What} failed (attempt {Attempt}); retrying", what, attempt);
                Thread.Sleep(TimeSpan.FromSeconds(Math.Min(5, attempt)));
            }
        }
    }

    private void Complete(IngestItem item, bool inserted, long now)
    {
        var state = item.State;
        switch (item.Kind)
        {
            case IngestItemKind.Event:
                if (inserted)
                {
                    _metrics.Stored();
                    lock (state.Hub.Gate)
                    {
                        Apply(state, item, now);
                        state.Hub.Broadcast(item.Frame!, item.Droppable);
                    }
                }
                else
                {
                    _metrics.Duplicate();
                }

                item.Origin?.Handled(item.Seq);
                break;
            case IngestItemKind.Rejected:
                item.Origin?.Handled(item.Seq);
                break;
            case IngestItemKind.Presence:
                lock (state.Hub.Gate)
                {
                    state.Online = item.Online;
                    state.Hub.Broadcast(item.Frame!, droppable: false);
                }

                break;
            case IngestItemKind.Command:
                if (inserted)
                {
                    lock (state.Hub.Gate)
                    {
                        state.Hub.Broadcast(item.Frame!, droppable: false);
                    }
                }

                break;
        }
    }

    private static void Apply(DeviceState state, IngestItem item, long now)
    {
        var record = item.Record!;
        if (record.Kind is ReadingKind kind)
        {
            state.ApplyReading(new LatestReading(kind, record.Time, record.Value, record.Raw, record.Zone));
            return;
        }

        switch (record.Event)
        {
            case EventNames.IrrigationStarted:
                state.ApplyStarted(item.Zones ?? [], item.Duration, now);
                break;
            case EventNames.IrrigationStopped:
                state.ApplyStopped(item.Zones ?? []);
                break;
            case EventNames.Status:
                state.ApplyOpenZones(item.Zones ?? []);
                break;
        }
    }
}
