using System.Diagnostics;
using System.Threading.Channels;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The bounded ingest queue and its single writer. Events reach the dashboards before they get here (the live path
/// never waits for the disk); the writer takes what is queued, up to a batch, commits it in one transaction, and only
/// then acks: each controller of the batch gets one ack (its highest handled seq) per commit. One writer keeps every
/// device's events in order, so an ack can never overtake the commit that made it true. When the queue is full,
/// receivers wait, which slows the sending controllers down through TCP.
/// </summary>
public sealed class IngestPipeline : BackgroundService
{
    private readonly Channel<IngestItem> _channel;
    private readonly IEventStore _store;
    private readonly RelayMetrics _metrics;
    private readonly ILogger<IngestPipeline> _log;
    private readonly int _batchSize;

    /// <summary>Creates the queue with the configured bound.</summary>
    public IngestPipeline(IEventStore store, IOptions<StorageOptions> options, RelayMetrics metrics, ILogger<IngestPipeline> log)
    {
        _store = store;
        _metrics = metrics;
        _log = log;
        _batchSize = Math.Max(1, options.Value.IngestBatchSize);
        _channel = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(Math.Max(1, options.Value.IngestQueueLength))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveIngestQueue(() => _channel.Reader.Count);
    }

    /// <summary>
    /// Raised on the writer's thread after a commit that stored measured volumes (irrigation_stopped with litres),
    /// once per device of the batch: the water ledger of that device changed. A handler only queues work.
    /// </summary>
    public event Action<string>? VolumeStored;

    /// <summary>Adds an item, waiting while the queue is full. Throws ChannelClosedException after shutdown.</summary>
    public ValueTask EnqueueAsync(IngestItem item, CancellationToken ct = default) => _channel.Writer.WriteAsync(item, ct);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server stopped first (it is the last hosted service started): nothing enqueues any more.
        // Completing the queue lets the writer commit what is left before it exits.
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // The writer blocks on the database: it gets a thread of its own instead of a pool thread.
        Task.Factory.StartNew(RunWriter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    // Under light load every event was its own commit: 1,000 controllers at 1 event/s meant 1,000 commits (fsyncs) and
    // writer wake-ups a second, and they took the cores from the live path (e2e p99 1.4-1.7x the yardstick's; 0.9x
    // with storage switched off). Starting commits at most this often gathers the interval's events into one commit
    // and the writer sleeps in between instead of waking per event: p99 1.13x, p50 0.20 ms (was 0.28), CPU per event
    // unchanged; 2 ms helped less (1.25x) and cost 15 % more CPU. Saturated, a commit takes longer than this and
    // nothing waits. Acks come up to this much later (p50 0.6 -> 2.8 ms), which a controller's send window
    // absorbs. docs/benchmarks.md, "Where the gap goes on a quiet machine" (run G).
    private static readonly TimeSpan MinCommitInterval = TimeSpan.FromMilliseconds(5);

    private void RunWriter()
    {
        IIngestSession? session = null;
        var reader = _channel.Reader;
        var items = new List<IngestItem>(_batchSize);
        var records = new List<IngestRecord>(_batchSize);
        var inserted = new bool[_batchSize];
        var acked = new HashSet<ControllerSession>();
        var lastCommit = 0L;
        // Blocking waits on purpose: the loop stays on its own thread.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var sinceLastCommit = Stopwatch.GetElapsedTime(lastCommit);
            if (sinceLastCommit < MinCommitInterval && reader.Count < _batchSize)
            {
                Thread.Sleep(MinCommitInterval - sinceLastCommit);
            }

            lastCommit = Stopwatch.GetTimestamp();
            items.Clear();
            records.Clear();
            while (items.Count < _batchSize && reader.TryRead(out var item))
            {
                items.Add(item);
                if (item.Record is { } record)
                {
                    records.Add(record);
                }
            }

            if (records.Count > 0)
            {
                Write(ref session, records, inserted);
            }

            foreach (var item in items)
            {
                if (item.Origin is { } origin)
                {
                    origin.Handled(item.Seq);
                    acked.Add(origin);
                }
            }

            foreach (var origin in acked)
            {
                origin.QueueAck();
            }

            acked.Clear();
        }

        session?.Dispose();
    }

    // Nothing is acked until this returns: on a storage error keep retrying the same batch on a fresh connection (the
    // queue fills up and the controllers wait) rather than acknowledge what is not stored.
    private void Write(ref IIngestSession? session, List<IngestRecord> records, bool[] inserted)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                session ??= _store.OpenIngestSession();
                session.WriteBatch(records, inserted);
                break;
            }
            catch (Exception e)
            {
                _log.LogError(e, "Storing a batch of {Count} events failed (attempt {Attempt}); retrying", records.Count, attempt);
                session?.Dispose();
                session = null;
                Thread.Sleep(TimeSpan.FromSeconds(Math.Min(5, attempt)));
            }
        }

        HashSet<string>? watered = null;
        for (var i = 0; i < records.Count; i++)
        {
            if (inserted[i])
            {
                _metrics.Stored();
                if (records[i].Litres is not null)
                {
                    (watered ??= new HashSet<string>(StringComparer.Ordinal)).Add(records[i].DeviceId);
                }
            }
            else
            {
                _metrics.Duplicate();
            }
        }

        foreach (var device in watered ?? [])
        {
            try
            {
                VolumeStored?.Invoke(device);
            }
            catch (Exception e)
            {
                _log.LogError(e, "A VolumeStored handler failed for {Device}", device);
            }
        }
    }
}
