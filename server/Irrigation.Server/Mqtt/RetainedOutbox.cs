namespace Irrigation.Server.Mqtt;

/// <summary>
/// What the bridge wants the broker to hold: the latest payload of every retained topic it owns, and which of them
/// the broker has not confirmed yet. Coalescing is the bound: a topic that changes ten times while the broker is away
/// is sent once, with its last payload, so a dead broker costs memory for one payload per topic and nothing else.
/// Discovery configs go before states. Answers to commands (not retained) wait in a short queue of their own.
/// </summary>
public sealed class RetainedOutbox(string discoveryPrefix)
{
    /// <summary>Command answers kept while the broker is away; older ones are dropped.</summary>
    public const int MaxResults = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _payloads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyConfigs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyStates = new(StringComparer.Ordinal);
    private readonly Queue<OutgoingMessage> _results = new();
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Retained topics held (including deletions not yet confirmed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _payloads.Count;
            }
        }
    }

    /// <summary>Publishes <paramref name="payload"/> retained on <paramref name="topic"/>, unless it is already what the broker holds or will.</summary>
    public void Set(string topic, string payload)
    {
        lock (_gate)
        {
            if (_payloads.TryGetValue(topic, out var current) && current == payload)
            {
                return;
            }

            _payloads[topic] = payload;
            MarkDirty(topic);
        }

        Signal();
    }

    /// <summary>Deletes the topic's retained message (an empty payload), then forgets the topic.</summary>
    public void Clear(string topic) => Set(topic, "");

    /// <summary>True when the bridge owns a non-empty retained payload on <paramref name="topic"/>.</summary>
    public bool Holds(string topic)
    {
        lock (_gate)
        {
            return _payloads.TryGetValue(topic, out var payload) && payload.Length > 0;
        }
    }

    /// <summary>Queues a command's answer (not retained), dropping the oldest beyond <see cref="MaxResults"/>.</summary>
    public void Answer(string topic, string payload)
    {
        lock (_gate)
        {
            if (_results.Count >= MaxResults)
            {
                _results.Dequeue();
            }

            _results.Enqueue(new OutgoingMessage(topic, payload, Retain: false));
        }

        Signal();
    }

    /// <summary>After a (re)connect: the broker may have lost everything (a restart without persistence), so send it all again.</summary>
    public void MarkAllDirty()
    {
        lock (_gate)
        {
            foreach (var topic in _payloads.Keys)
            {
                MarkDirty(topic);
            }
        }

        Signal();
    }

    /// <summary>Home Assistant restarted: send every discovery config again (states are retained and reach it anyway).</summary>
    public void MarkConfigsDirty()
    {
        lock (_gate)
        {
            foreach (var topic in _payloads.Keys)
            {
                if (IsConfig(topic))
                {
                    _dirtyConfigs.Add(topic);
                }
            }
        }

        Signal();
    }

    /// <summary>Takes up to <paramref name="max"/> messages to send: answers, then configs, then states.</summary>
    public List<OutgoingMessage> Take(int max)
    {
        var batch = new List<OutgoingMessage>();
        lock (_gate)
        {
            while (batch.Count < max && _results.TryDequeue(out var answer))
            {
                batch.Add(answer);
            }

            TakeFrom(_dirtyConfigs, batch, max);
            TakeFrom(_dirtyStates, batch, max);
        }

        return batch;
    }

    /// <summary>The broker confirmed <paramref name="message"/>: a confirmed deletion forgets the topic.</summary>
    public void Sent(OutgoingMessage message)
    {
        if (!message.Retain || message.Payload.Length > 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_payloads.TryGetValue(message.Topic, out var current) && current.Length == 0 && !IsDirty(message.Topic))
            {
                _payloads.Remove(message.Topic);
            }
        }
    }

    /// <summary>Sending <paramref name="message"/> failed: it goes again after the reconnect (unless a newer payload replaced it).</summary>
    public void Failed(OutgoingMessage message)
    {
        if (message.Retain)
        {
            lock (_gate)
            {
                if (_payloads.ContainsKey(message.Topic))
                {
                    MarkDirty(message.Topic);
                }
            }
        }
    }

    /// <summary>Waits until there is something to send, or <paramref name="timeout"/> passed.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    private void TakeFrom(HashSet<string> dirty, List<OutgoingMessage> batch, int max)
    {
        if (batch.Count >= max || dirty.Count == 0)
        {
            return;
        }

        foreach (var topic in dirty.Take(max - batch.Count).ToList())
        {
            dirty.Remove(topic);
            batch.Add(new OutgoingMessage(topic, _payloads[topic], Retain: true));
        }
    }

    private bool IsConfig(string topic) => topic.StartsWith(discoveryPrefix + "/", StringComparison.Ordinal);

    private bool IsDirty(string topic) => _dirtyConfigs.Contains(topic) || _dirtyStates.Contains(topic);

    private void MarkDirty(string topic) => (IsConfig(topic) ? _dirtyConfigs : _dirtyStates).Add(topic);

    private void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first: one wake-up is enough.
            }
        }
    }
}
