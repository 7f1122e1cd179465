using System.Text.Json;
using Irrigation.Core.Link;

namespace Irrigation.Server.Tests.Simulation;

/// <summary>
/// The transport under a simulated controller's link with the server's side played in memory: hello is answered with
/// welcome (the time of <see cref="ServerUnix"/>, resume 0), every event is kept once and acknowledged at once, and a
/// test queues commands. A connect succeeds at the next <see cref="Advance"/>. Lets a test run the real core and the
/// simulated field on a fake clock, minutes in milliseconds, which a real server (whose welcome says the real time)
/// would not allow.
/// </summary>
public sealed class StandInServerLink : ILinkTransport
{
    private readonly Queue<string> _incoming = new();
    private readonly HashSet<long> _stored = [];
    private int _commands;

    public LinkState State { get; private set; } = LinkState.Closed;

    /// <summary>The server's clock, Unix seconds.</summary>
    public Func<long> ServerUnix { get; set; } = () => 1764547200;

    /// <summary>Every event the controller delivered, once each, in order.</summary>
    public List<JsonElement> Events { get; } = [];

    public void Connect(string url) => State = LinkState.Connecting;

    /// <summary>Finishes a pending connect (once a tick, before the controller's).</summary>
    public void Advance()
    {
        if (State == LinkState.Connecting)
        {
            State = LinkState.Open;
        }
    }

    public bool Send(string frame)
    {
        if (State != LinkState.Open)
        {
            return false;
        }

        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        if (root.GetProperty("event").GetString() == "hello")
        {
            _incoming.Enqueue($$$"""{"event":"welcome","data":{"time":{{{ServerUnix()}}},"resume":0}}""");
            return true;
        }

        long seq = root.GetProperty("seq").GetInt64();
        if (_stored.Add(seq))
        {
            Events.Add(root.Clone());
        }

        _incoming.Enqueue($$$"""{"event":"ack","data":{"seq":{{{seq}}}}}""");
        return true;
    }

    public string? Receive() => _incoming.Count > 0 ? _incoming.Dequeue() : null;

    public void Disconnect()
    {
        State = LinkState.Closed;
        _incoming.Clear();
    }

    /// <summary>Sends the controller <c>irrigate</c> for <paramref name="zone"/>; returns the command id.</summary>
    public string Irrigate(string zone, int durationSeconds) =>
        Command(id => $$$"""{"event":"irrigate","data":{"id":"{{{id}}}","zones":["{{{zone}}}"],"duration":{{{durationSeconds}}}}}""");

    /// <summary>Sends the controller <c>clear_leak</c>; returns the command id.</summary>
    public string ClearLeak() => Command(id => $$$"""{"event":"clear_leak","data":{"id":"{{{id}}}"}}""");

    /// <summary>The delivered events named <paramref name="name"/>, their data.</summary>
    public List<JsonElement> Data(string name) =>
        Events.Where(e => e.GetProperty("event").GetString() == name).Select(e => e.GetProperty("data")).ToList();

    /// <summary>The controller's answer to command <paramref name="id"/>.</summary>
    public JsonElement Result(string id) => Data("command_result").Single(r => r.GetProperty("id").GetString() == id);

    private string Command(Func<string, string> frame)
    {
        var id = "c-" + ++_commands;
        _incoming.Enqueue(frame(id));
        return id;
    }
}
