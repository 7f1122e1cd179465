using System.Buffers;
using Irrigation.Core.Link;
using Irrigation.Server.Cluster;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The bridge's connection to the broker: while this instance holds the lease, connect (MQTT 5, a fixed client id,
/// a last will that marks the bridge offline), subscribe, and send what the <see cref="RetainedOutbox"/> holds;
/// when the broker goes away, reconnect with exponential backoff and send everything again. Nothing here is on the
/// relay's path: a dead or frozen broker only keeps this loop waiting.
/// </summary>
public sealed class BrokerLink(
    BrokerAddress address,
    MqttTopics topics,
    RetainedOutbox outbox,
    ILease lease,
    MqttMetrics metrics,
    IOptions<MqttOptions> options,
    ILogger<BrokerLink> log)
{
    private const int BatchSize = 64;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly MqttClientFactory _factory = new();
    private volatile string _status = "starting";

    /// <summary>What the link is doing now, for /healthz.</summary>
    public string Status => _status;

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Called for each message the broker delivers (on the client's receive loop: it must be quick).</summary>
    public Action<IncomingMessage>? Received { get; set; }

    /// <summary>Runs until <paramref name="ct"/> is cancelled; <paramref name="ready"/> completes once there is something to publish.</summary>
    public async Task RunAsync(Task ready, CancellationToken ct)
    {
        await ready.WaitAsync(ct);
        var backoff = new Backoff(500, 30_000, Environment.TickCount);
        var failures = 0;
        var standby = false;
        while (!ct.IsCancellationRequested)
        {
            if (!await lease.HoldAsync(ct))
            {
                if (!standby)
                {
                    log.LogInformation("MQTT bridge on standby: another instance of the cluster holds the bridge");
                    standby = true;
                }

                _status = "standby: another instance runs the bridge";
                await Task.Delay(lease.RenewInterval, ct);
                continue;
            }

            standby = false;
            using var client = _factory.CreateMqttClient();
            var stepDown = false;
            try
            {
                client.ApplicationMessageReceivedAsync += e =>
                {
                    var m = e.ApplicationMessage;
                    Received?.Invoke(new IncomingMessage(m.Topic, m.Payload.ToArray(), m.Retain));
                    return Task.CompletedTask;
                };
                await ConnectAsync(client, ct);
                metrics.Connect(ok: true);
                log.LogInformation("MQTT bridge connected to {Broker}{After}", address, failures > 0 ? $" after {failures} failed attempts" : "");
                failures = 0;
                backoff.Reset();
                IsConnected = true;
                metrics.Connected(true);
                _status = $"connected to {address}";
                stepDown = !await PublishWhileConnectedAsync(client, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await GoodbyeAsync(client);
                break;
            }
            catch (Exception e)
            {
                if (!IsConnected)
                {
                    metrics.Connect(ok: false);
                }

                // The first failure of an outage is worth a warning; the retries that follow are not.
                var level = failures++ == 0 ? LogLevel.Warning : LogLevel.Debug;
                log.Log(level, "MQTT broker {Broker} {What}: {Message}; retrying with backoff (the relay is not affected)",
                    address, IsConnected ? "connection lost" : "unreachable", e.Message);
                _status = $"{address} unreachable ({e.Message}); retrying";
            }
            finally
            {
                IsConnected = false;
                metrics.Connected(false);
            }

            if (stepDown)
            {
                // Lost the lease: leave quietly (no "offline": the new holder's "online" must stand).
                await DisconnectQuietlyAsync(client);
                continue;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(backoff.NextDelayMs()), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await lease.ReleaseAsync();
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken ct)
    {
        var o = options.Value;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(address.Host, address.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // One client id per bridge: should two instances ever connect, the broker keeps only the newer one,
            // so a command is never delivered twice.
            .WithClientId("irrigation-bridge-" + topics.NodeId)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(Timeout)
            .WithWillTopic(topics.BridgeAvailability)
            .WithWillPayload("offline")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (o.Username.Length > 0)
        {
            builder.WithCredentials(o.Username, o.Password);
        }

        if (address.Tls)
        {
            builder.WithTlsOptions(t => t.UseTls().WithTargetHost(address.Host));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var result = await client.ConnectAsync(builder.Build(), timeout.Token);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection ({result.ResultCode}{(result.ReasonString is { Length: > 0 } r ? ": " + r : "")})");
        }

        var subscribe = _factory.CreateSubscribeOptionsBuilder()
            // Home Assistant's birth message: only live ones count (a retained "online" is the past).
            .WithTopicFilter(f => f.WithTopic(topics.HomeAssistantStatus).WithAtLeastOnceQoS().WithNoLocal()
                .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe))
            // Discovery configs the broker holds for this node: read back to find stale ones.
            .WithTopicFilter(f => f.WithTopic(topics.DiscoveryFilter).WithAtLeastOnceQoS().WithNoLocal())
            // Commands; a retained command is never replayed at a reconnect.
            .WithTopicFilter(f => f.WithTopic(topics.CommandFilter).WithAtLeastOnceQoS().WithNoLocal()
                .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe))
            .Build();
        using var subscribing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        subscribing.CancelAfter(Timeout);
        await client.SubscribeAsync(subscribe, subscribing.Token);
        outbox.Set(topics.BridgeAvailability, "online");
        outbox.MarkAllDirty();
    }

    // Sends what the outbox holds until the connection drops (throws) or the lease is lost (returns false).
    private async Task<bool> PublishWhileConnectedAsync(IMqttClient client, CancellationToken ct)
    {
        var renewAt = DateTime.UtcNow + lease.RenewInterval;
        while (true)
        {
            if (!client.IsConnected)
            {
                throw new InvalidOperationException("the broker closed the connection");
            }

            if (DateTime.UtcNow >= renewAt)
            {
                if (!await lease.HoldAsync(ct))
                {
                    log.LogWarning("MQTT bridge lost its lease: another instance of the cluster takes over");
                    return false;
                }

                renewAt = DateTime.UtcNow + lease.RenewInterval;
            }

            var batch = outbox.Take(BatchSize);
            if (batch.Count == 0)
            {
                await outbox.WaitAsync(TimeSpan.FromSeconds(1), ct);
                continue;
            }

            await PublishAsync(client, batch, ct);
        }
    }

    private async Task PublishAsync(IMqttClient client, List<OutgoingMessage> batch, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var sends = batch.Select(async m =>
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(m.Topic)
                .WithPayload(m.Payload)
                .WithRetainFlag(m.Retain)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await client.PublishAsync(message, timeout.Token);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"the broker refused {m.Topic} ({result.ReasonCode})");
            }
        }).ToArray();
        try
        {
            await Task.WhenAll(sends);
        }
        finally
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (sends[i].IsCompletedSuccessfully)
                {
                    outbox.Sent(batch[i]);
                    metrics.Published();
                }
                else
                {
                    outbox.Failed(batch[i]);
                }
            }
        }
    }

    // Shutdown: mark the bridge offline (its devices become unavailable in Home Assistant), then leave cleanly.
    private async Task GoodbyeAsync(IMqttClient client)
    {
        if (client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topics.BridgeAvailability).WithPayload("offline")
                    .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The will says the same when the connection just drops.
            }
        }

        await DisconnectQuietlyAsync(client);
    }

    private static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Gone already.
        }
    }
}
