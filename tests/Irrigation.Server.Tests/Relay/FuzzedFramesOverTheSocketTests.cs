using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Irrigation.Core.Protocol;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

/// <summary>
/// The real server on Kestrel, over real WebSockets: one controller sends random and mutated frames while another
/// controller and a dashboard use the same server. Each run draws new frames (a failure names the CsCheck seed;
/// CsCheck_Seed=... replays it).
/// </summary>
public class FuzzedFramesOverTheSocketTests
{
    private const int FrameCount = 200;
    private const long FirstGoodTime = 1764547200;

    // Frames sent before waiting for their answers, like a controller's send window (docs/config.md: send_window).
    private const int Window = 8;

    private static readonly int MaxFrameBytes = new RelayOptions().MaxFrameBytes;

    [Fact]
    public async Task MutatedFrames_EachRejectedOneAnsweredWithItsCode_OtherClientsCarryOn()
    {
        var frames = WireFrame.Sequence(FrameMutator.Seeds("to-server")).Array[FrameCount];
        await frames.SampleAsync(ExchangeAsync, iter: 1, threads: 1, print: f => string.Join("\n", f.Select(x => x.ToString())));
    }

    private static async Task ExchangeAsync(WireFrame[] frames)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:MaxRejectedFrames"] = "100000" });
        var alice = await server.CreateUserAsync("alice");
        var fuzzedToken = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var otherToken = await server.AddDeviceAsync("farm-02", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var fuzzed = await server.ConnectControllerAsync("farm-01", fuzzedToken);
        await using var other = await server.ConnectControllerAsync("farm-02", otherToken);

        var expected = new List<string>();
        var accepted = new HashSet<(string, long)>();
        var otherSeq = 0L;
        for (var i = 0; i < frames.Length; i++)
        {
            await fuzzed.Socket.SendBytesAsync(frames[i].Bytes, frames[i].Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
            var (code, eventName, seq) = frames[i].Expected(MaxFrameBytes);
            if (code is null)
            {
                accepted.Add((eventName!, seq!.Value));
            }
            else
            {
                expected.Add(code);
            }

            if (i % 10 == 0)
            {
                otherSeq = await other.TemperatureAsync(FirstGoodTime + i, 200 + i);
            }

            if (i % Window == Window - 1 || i == frames.Length - 1)
            {
                var answers = expected.Count;
                await fuzzed.Socket.WaitForAsync(_ => fuzzed.ErrorCodes.Count >= answers, $"{answers} error frames after {i + 1} frames");
            }
        }

        Assert.Equal(expected, fuzzed.ErrorCodes);

        // The fuzzed controller's connection carries on: a valid reading afterwards is answered.
        Assert.False(fuzzed.Socket.IsClosed, $"closed: {fuzzed.Socket.CloseStatus} {fuzzed.Socket.CloseDescription}");
        fuzzed.SetNextSeq(long.MaxValue);
        await fuzzed.WaitAckAsync(await fuzzed.TemperatureAsync(FirstGoodTime, 211));

        // The other controller and the dashboard never noticed: every reading stored, acked and shown.
        await other.WaitAckAsync(otherSeq);
        await board.WaitForAsync(f => From(f, "farm-02") && Seq(f) == otherSeq, "farm-02's last reading");
        Assert.Equal(otherSeq, board.Count(f => From(f, "farm-02") && TestSocket.Event(f) == EventNames.Temperature));
        Assert.Empty(other.ErrorCodes);

        // The dashboard saw only what the validator accepted from the fuzzed controller.
        var shown = board.Frames.Where(f => From(f, "farm-01") && Seq(f) is not null).Select(f => (TestSocket.Event(f)!, Seq(f)!.Value));
        Assert.All(shown.Where(s => s.Item2 != long.MaxValue), s => Assert.Contains(s, accepted));
        Assert.False(board.IsClosed);
    }

    private static bool From(JsonElement frame, string device) =>
        frame.TryGetProperty("device", out var d) && d.GetString() == device;

    private static long? Seq(JsonElement frame) => frame.TryGetProperty("seq", out var seq) ? seq.GetInt64() : null;

    /// <summary>One frame as the fuzzed controller sends it.</summary>
    private sealed record WireFrame(byte[] Bytes, bool Binary)
    {
        /// <summary>
        /// Mostly mutated golden frames, repaired to UTF-8 (a text frame that is not UTF-8 is failed by the WebSocket
        /// layer, 1007, before the relay sees it), some unchanged, random text, frames over the size limit, binary.
        /// </summary>
        public static Gen<WireFrame> Sequence(byte[][] seeds) => Gen.Frequency(
            (12, (IGen<WireFrame>)PropertyInputs.Mutated(seeds).Select(Text)),
            (2, Gen.OneOf(seeds).Select(Text)),
            (1, PropertyInputs.RandomText.Select(Text)),
            (1, Gen.OneOf(seeds).Select(s => Text([.. s, .. Encoding.ASCII.GetBytes(new string(' ', 9000))]))),
            (1, Gen.OneOf(seeds).Select(s => new WireFrame(s, Binary: true))));

        /// <summary>The code the relay must answer with (null: accepted, with its event and seq).</summary>
        public (string? Code, string? Event, long? Seq) Expected(int maxFrameBytes)
        {
            if (Bytes.Length > maxFrameBytes)
            {
                return (ErrorCodes.TooLarge, null, null);
            }

            if (Binary)
            {
                return (ErrorCodes.BadJson, null, null);
            }

            using var check = FrameValidator.Validate(Bytes);
            return (check.ErrorCode, check.Event, check.Seq);
        }

        public override string ToString() => (Binary ? "binary " : "text ") + PropertyInputs.Show(Bytes);

        private static WireFrame Text(byte[] bytes) => new(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)), Binary: false);
    }
}
