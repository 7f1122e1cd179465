using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Irrigation.Core.Protocol;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

using Irrigation.Server.Relay;

namespace Irrigation.Server.Cluster;

/// <summary>
/// Several server instances sharing one Redis (<c>ConnectionStrings:Redis</c>):
/// <list type="bullet">
/// <item>Frames: each device has a channel (<c>irrigation:device:ID</c>); the instance holding the controller
/// publishes its tagged frames there, in order, the frames of one burst in one message (<see cref="DeviceOutbox"/>),
/// and each instance that watches the device applies them to its own hub and dashboards.</item>
/// <item>Presence: the hash <c>irrigation:presence</c> maps a device to the instance and connection holding its
/// controller. A claim is also announced on the device's channel, so a previous connection elsewhere closes
/// (replaced). Each instance refreshes a liveness key; the others sweep the devices of an instance whose key
/// expired and announce them offline, within 2 × the keepalive interval of its death.</item>
/// <item>Commands: a command for a controller on another instance goes to that instance's channel, which answers
/// on the sender's channel.</item>
/// </list>
/// </summary>
public sealed class RedisBackplane : IRelayBackplane, IHostedService, IAsyncDisposable
{
    private const string Prefix = "irrigation:";
    private const string PresenceKey = Prefix + "presence";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    // Deletes the presence entry only if this connection still holds it (a newer claim must survive).
    private const string ReleaseScript =
        "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

    private readonly ConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly IServiceProvider _services;
    private readonly ControllerRegistry _controllers;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<RedisBackplane> _log;
    private readonly TimeSpan _keepAlive;
    private readonly ConcurrentDictionary<string, Task> _watched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Delivery>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _heartbeat;

    /// <summary>Connects to Redis (in the background when it is not reachable yet: /healthz tells).</summary>
    public RedisBackplane(
        string connectionString, IServiceProvider services, ControllerRegistry controllers, RelayMetrics metrics,
        IOptions<RelayOptions> options, TimeProvider clock, ILogger<RedisBackplane> log)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Redis is not a valid StackExchange.Redis configuration: {e.Message}", e);
        }

        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "irrigation-" + InstanceId;
        _redis = ConnectionMultiplexer.Connect(configuration);
        _subscriber = _redis.GetSubscriber();
        _services = services;
        _controllers = controllers;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _keepAlive = options.Value.KeepAliveInterval;
        Endpoint = string.Join(",", configuration.EndPoints.Select(e => e.ToString()));
    }

    /// <summary>This instance's id (random per start).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The Redis endpoints, for logs and /healthz.</summary>
    public string Endpoint { get; }

    /// <inheritdoc />
    public bool IsClustered => true;

    private IDatabase Db => _redis.GetDatabase();

    private static RedisChannel DeviceChannel(string deviceId) => RedisChannel.Literal(Prefix + "device:" + deviceId);

    private static RedisChannel InstanceChannel(string instanceId) => RedisChannel.Literal(Prefix + "instance:" + instanceId);

    private static RedisKey AliveKey(string instanceId) => Prefix + "alive:" + instanceId;

    /// <summary>Round trip to Redis.</summary>
    public Task<TimeSpan> PingAsync() => Db.PingAsync();

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAliveAsync();
        var queue = await _subscriber.SubscribeAsync(InstanceChannel(InstanceId));
        queue.OnMessage(message => OnInstanceMessageAsync(message.Message));
        _heartbeat = Task.Run(() => RunHeartbeatAsync(_stopping.Token), CancellationToken.None);
        _log.LogInformation("Cluster backplane on Redis {Endpoint}: instance {Instance}", Endpoint, InstanceId);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_heartbeat is not null)
        {
            await _heartbeat;
        }

        try
        {
            await Db.KeyDeleteAsync(AliveKey(InstanceId));
        }
        catch (RedisException)
        {
            // The key expires on its own.
        }
    }

    /// <inheritdoc />
    public Task WatchDeviceAsync(string deviceId) => _watched.GetOrAdd(deviceId, id => SubscribeDeviceAsync(id));

    private async Task SubscribeDeviceAsync(string deviceId)
    {
        var queue = await _subscriber.SubscribeAsync(DeviceChannel(deviceId));
        // One queue per device: its messages are handled one after another, in publish order.
        queue.OnMessage(message => OnDeviceMessageAsync(deviceId, message.Message));
    }

    /// <inheritdoc />
    public async Task<bool> IsOnlineAsync(string deviceId)
    {
        if (_controllers.Find(deviceId) is not null)
        {
            return true;
        }

        return await HolderAsync(deviceId) is { } holder && (holder.Instance == InstanceId || await Db.KeyExistsAsync(AliveKey(holder.Instance)));
    }

    /// <inheritdoc />
    public void Publish(string deviceId, byte[] frame)
    {
        _metrics.BackplaneFrame("out");
        _outboxes.GetOrAdd(deviceId, NewOutbox).Add(frame);
    }

    // One outbox per device that ever published here (bounded by the devices); each holds at most MaxFrames frames.
    private DeviceOutbox NewOutbox(string deviceId)
    {
        var channel = DeviceChannel(deviceId);
        return new DeviceOutbox(
            frames => _subscriber.Publish(channel, Message('F', Pack(frames)), CommandFlags.FireAndForget),
            e => _log.LogWarning("Frames of {Device} did not reach Redis: {Message}", deviceId, e.Message));
    }

    /// <inheritdoc />
    public async Task ClaimAsync(ControllerSession session)
    {
        await Db.HashSetAsync(PresenceKey, session.DeviceId, InstanceId + " " + session.ConnectionId);
        await _subscriber.PublishAsync(DeviceChannel(session.DeviceId), Message('C', Encoding.UTF8.GetBytes(session.ConnectionId)));
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(ControllerSession session)
    {
        try
        {
            var released = await Db.ScriptEvaluateAsync(ReleaseScript, [PresenceKey], [session.DeviceId, InstanceId + " " + session.ConnectionId]);
            return (long)released == 1;
        }
        catch (RedisException e)
        {
            // Redis is away: the entry stays until this instance's liveness lapses and another instance sweeps it.
            _log.LogWarning(e, "Releasing {Device}'s presence in Redis failed", session.DeviceId);
            return true;
        }
    }

    /// <inheritdoc />
    public async Task<Delivery> SendToControllerAsync(string deviceId, byte[] frame, CancellationToken ct = default)
    {
        if (_controllers.Find(deviceId) is { } local)
        {
            return local.TrySend(frame) ? Delivery.Sent : Delivery.Busy;
        }

        if (await HolderAsync(deviceId) is not { } holder || !await Db.KeyExistsAsync(AliveKey(holder.Instance)))
        {
            return Delivery.Offline;
        }

        var request = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request] = reply;
        try
        {
            var body = Encoding.UTF8.GetBytes(request + "\n" + deviceId + "\n").Concat(frame).ToArray();
            await _subscriber.PublishAsync(InstanceChannel(holder.Instance), Message('S', body));
            return await reply.Task.WaitAsync(CommandTimeout, ct);
        }
        catch (TimeoutException)
        {
            return Delivery.Busy;
        }
        finally
        {
            _pending.TryRemove(request, out _);
        }
    }

    // 'F' frames (one or more, packed by Pack, in publish order), 'C' claim (a connection id): from the device's channel.
    private async Task OnDeviceMessageAsync(string deviceId, RedisValue message)
    {
        if (!TryRead(message, out var kind, out var sender, out var body) || sender == InstanceId)
        {
            return;
        }

        try
        {
            if (kind == 'C')
            {
                var connection = Encoding.UTF8.GetString(body.Span);
                if (_controllers.Find(deviceId) is { } local && local.ConnectionId != connection)
                {
                    local.RequestClose(WebSocketCloseStatus.NormalClosure, "replaced by a new connection");
                }

                return;
            }

            if (await _services.GetRequiredService<DeviceHubs>().WhenLoadedAsync(deviceId) is { } hub)
            {
                var now = _clock.GetUtcNow().ToUnixTimeSeconds();
                while (NextFrame(ref body) is { } frame)
                {
                    _metrics.BackplaneFrame("in");
                    var update = DeviceUpdate.FromTaggedFrame(frame, now);
                    hub.Publish(update, frame, DashboardSession.IsDroppable(update.Event));
                }
            }
        }
        catch (Exception e)
        {
            // One bad message must not stop the device's queue.
            _log.LogWarning(e, "A backplane message for {Device} could not be applied", deviceId);
        }
    }

    // 'S' send request (request id, device id, frame) and 'R' reply (request id, outcome): on this instance's channel.
    private async Task OnInstanceMessageAsync(RedisValue message)
    {
        if (!TryRead(message, out var kind, out var sender, out var body))
        {
            return;
        }

        var text = body.Span;
        var first = text.IndexOf((byte)'\n');
        if (first < 0)
        {
            return;
        }

        var request = Encoding.UTF8.GetString(text[..first]);
        if (kind == 'R')
        {
            if (_pending.TryGetValue(request, out var reply) && Enum.TryParse<Delivery>(Encoding.UTF8.GetString(text[(first + 1)..]), out var outcome))
            {
                reply.TrySetResult(outcome);
            }

            return;
        }

        var second = text[(first + 1)..].IndexOf((byte)'\n') + first + 1;
        var deviceId = Encoding.UTF8.GetString(text[(first + 1)..second]);
        var frame = text[(second + 1)..].ToArray();
        var delivery = _controllers.Find(deviceId) is not { } session ? Delivery.Offline : session.TrySend(frame) ? Delivery.Sent : Delivery.Busy;
        await _subscriber.PublishAsync(InstanceChannel(sender), Message('R', Encoding.UTF8.GetBytes(request + "\n" + delivery)));
    }

    private async Task RunHeartbeatAsync(CancellationToken ct)
    {
        var period = _keepAlive / 2;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _clock, ct);
                await RefreshAliveAsync();
                await SweepAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _log.LogWarning("Cluster heartbeat failed: {Message}", e.Message);
            }
        }
    }

    // The liveness key outlives one missed refresh: 1.5 intervals, refreshed every half interval.
    private Task RefreshAliveAsync() => Db.StringSetAsync(AliveKey(InstanceId), "1", _keepAlive * 1.5);

    // Devices held by instances whose liveness key expired are offline: whoever releases an entry announces it.
    private async Task SweepAsync()
    {
        var alive = new Dictionary<string, bool>(StringComparer.Ordinal) { [InstanceId] = true };
        foreach (var entry in await Db.HashGetAllAsync(PresenceKey))
        {
            var holder = Holder.Parse(entry.Value);
            if (holder is null)
            {
                continue;
            }

            if (!alive.TryGetValue(holder.Value.Instance, out var isAlive))
            {
                isAlive = alive[holder.Value.Instance] = await Db.KeyExistsAsync(AliveKey(holder.Value.Instance));
            }

            if (!isAlive && (long)await Db.ScriptEvaluateAsync(ReleaseScript, [PresenceKey], [entry.Name, entry.Value]) == 1)
            {
                _log.LogWarning("Instance {Instance} is gone: controller {Device} offline", holder.Value.Instance, entry.Name);
                await AnnounceOfflineAsync(entry.Name!);
            }
        }
    }

    private async Task AnnounceOfflineAsync(string deviceId)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var frame = ServerFrames.Presence(deviceId, online: false, now);
        if (await _services.GetRequiredService<DeviceHubs>().WhenLoadedAsync(deviceId) is { } hub)
        {
            hub.Publish(new DeviceUpdate(EventNames.DeviceOffline, now, now), frame, droppable: false);
        }

        Publish(deviceId, frame);
    }

    private async Task<Holder?> HolderAsync(string deviceId) => Holder.Parse(await Db.HashGetAsync(PresenceKey, deviceId));

    // kind, sender instance, '\n', body.
    private byte[] Message(char kind, ReadOnlySpan<byte> body)
    {
        var head = Encoding.ASCII.GetBytes(kind + InstanceId + "\n");
        var message = new byte[head.Length + body.Length];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        return message;
    }

    // A frame message's body: each frame after its length (4 bytes, big-endian), in order.
    private static byte[] Pack(List<byte[]> frames)
    {
        var packed = new byte[frames.Sum(f => 4 + f.Length)];
        var at = 0;
        foreach (var frame in frames)
        {
            BinaryPrimitives.WriteInt32BigEndian(packed.AsSpan(at), frame.Length);
            frame.CopyTo(packed, at + 4);
            at += 4 + frame.Length;
        }

        return packed;
    }

    // The next frame of a packed body (null at its end or at a malformed length).
    private static byte[]? NextFrame(ref ReadOnlyMemory<byte> body)
    {
        if (body.Length < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(body.Span);
        if (length < 0 || length > body.Length - 4)
        {
            return null;
        }

        var frame = body.Slice(4, length).ToArray();
        body = body[(4 + length)..];
        return frame;
    }

    private static bool TryRead(RedisValue message, out char kind, out string sender, out ReadOnlyMemory<byte> body)
    {
        ReadOnlyMemory<byte> bytes = (byte[])message!;
        var newline = bytes.Span.IndexOf((byte)'\n');
        if (bytes.Length < 2 || newline < 1)
        {
            (kind, sender, body) = ('\0', "", default);
            return false;
        }

        kind = (char)bytes.Span[0];
        sender = Encoding.ASCII.GetString(bytes.Span[1..newline]);
        body = bytes[(newline + 1)..];
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        await _redis.DisposeAsync();
    }

    private readonly record struct Holder(string Instance, string Connection)
    {
        public static Holder? Parse(RedisValue value)
        {
            if (value.IsNullOrEmpty)
            {
                return null;
            }

            var parts = value.ToString().Split(' ');
            return parts.Length == 2 ? new Holder(parts[0], parts[1]) : null;
        }
    }
}
