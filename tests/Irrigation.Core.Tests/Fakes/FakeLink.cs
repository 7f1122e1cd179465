using System.Text.Json;
using Irrigation.Core.Link;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>
/// A transport plus a tiny model of the server: answers hello with welcome (resume = highest stored seq of
/// the boot), stores events once per (boot, seq) and acks cumulatively. Switches let a test take the server
/// down, make it silent, or turn automatic answers off and script frames by hand.
/// </summary>
public sealed class FakeLink : ILinkTransport
{
    public LinkState State { get; private set; } = LinkState.Closed;
    public bool ServerUp = true;
    public bool Silent;
    public bool AutoServer = true;
    public bool AutoAck = true;
    public Func<long> ServerUnix = () => 1764547200;
    /// <summary>The welcome's utc_offset (seconds east of UTC), or null for a welcome without one (an older server).</summary>
    public Func<int?> UtcOffset = () => null;
    public readonly Queue<string> Incoming = new();
    public readonly List<string> Sent = new();
    public int KeepSent = int.MaxValue;
    public int Connects;
    public int Disconnects;
    public string? LastUrl;
    public long CurrentBoot;
    public readonly Dictionary<long, SortedSet<long>> Stored = new();
    public readonly Dictionary<long, long> AckedByBoot = new();
    public readonly List<JsonElement> StoredFrames = new();
    public bool KeepFrames;
    public int EventsSinceLastAck;
    public int MaxUnackedSeen;
    public Action<JsonElement>? OnEvent;
    /// <summary>A boot id whose hello the server answers by closing the connection (as a server refusing it would).</summary>
    public long? RefuseBoot;

    /// <summary>Moves a pending connect on: call once per tick before the controller's tick.</summary>
    public void Advance()
    {
        if (State == LinkState.Connecting)
        {
            State = ServerUp ? LinkState.Open : LinkState.Closed;
        }
    }

    /// <summary>The network drops the connection (the controller notices through State).</summary>
    public void Drop()
    {
        State = LinkState.Closed;
        Incoming.Clear();
    }

    public void Connect(string url)
    {
        Connects++;
        LastUrl = url;
        Incoming.Clear();
        State = LinkState.Connecting;
    }

    public bool Send(string frame)
    {
        if (State != LinkState.Open)
        {
            return false;
        }

        if (Sent.Count >= KeepSent)
        {
            Sent.RemoveRange(0, KeepSent / 2);
        }

        Sent.Add(frame);
        if (AutoServer && !Silent)
        {
            Serve(frame);
        }

        return true;
    }

    public string? Receive() => Incoming.Count > 0 ? Incoming.Dequeue() : null;

    public void Disconnect()
    {
        Disconnects++;
        State = LinkState.Closed;
        Incoming.Clear();
    }

    public void Enqueue(string frame) => Incoming.Enqueue(frame);

    /// <summary>Queues a settings frame as the server sends it.</summary>
    public void Settings(int version, string settingsJson, int? utcOffset = null) =>
        Incoming.Enqueue("{\"event\":\"settings\",\"data\":{\"version\":" + version
            + (utcOffset is int o ? ",\"utc_offset\":" + o : "") + ",\"settings\":" + settingsJson + "}}");

    public void Ack(long seq) => Incoming.Enqueue("{\"event\":\"ack\",\"data\":{\"seq\":" + seq + "}}");

    private void Serve(string frame)
    {
        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        string ev = root.GetProperty("event").GetString()!;
        if (ev == "hello")
        {
            CurrentBoot = root.GetProperty("data").GetProperty("boot").GetInt64();
            if (CurrentBoot == RefuseBoot)
            {
                Drop();
                return;
            }

            long resume = Stored.TryGetValue(CurrentBoot, out var set) && set.Count > 0 ? set.Max : 0;
            EventsSinceLastAck = 0;
            int? offset = UtcOffset();
            Incoming.Enqueue("{\"event\":\"welcome\",\"data\":{\"time\":" + ServerUnix() + ",\"resume\":" + resume
                + (offset is int o ? ",\"utc_offset\":" + o : "") + "}}");
            return;
        }

        long seq = root.GetProperty("seq").GetInt64();
        if (!Stored.TryGetValue(CurrentBoot, out var stored))
        {
            stored = new SortedSet<long>();
            Stored[CurrentBoot] = stored;
        }

        if (stored.Add(seq))
        {
            if (KeepFrames)
            {
                StoredFrames.Add(root.Clone());
            }

            OnEvent?.Invoke(root);
        }

        EventsSinceLastAck++;
        MaxUnackedSeen = Math.Max(MaxUnackedSeen, EventsSinceLastAck);
        if (AutoAck)
        {
            long ack = Math.Max(seq, AckedByBoot.TryGetValue(CurrentBoot, out var a) ? a : 0);
            AckedByBoot[CurrentBoot] = ack;
            EventsSinceLastAck = 0;
            Ack(ack);
        }
    }
}
