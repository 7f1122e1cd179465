using System.Net.WebSockets;
using Irrigation.Server.Cli;
using Irrigation.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Irrigation.Server.Tests.Storage;

public class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const long Boot = 987654321;
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task KillHardMidStream_RestartAndReplayUnacked_StoredSetEqualsSentExactlyOnce()
    {
        var token = await ProvisionAsync();
        long ackedBeforeKill;
        long total = 0;

        await using (var first = await ServerProcess.StartAsync(_dataDir, "--Relay:RateBurst", "1000000"))
        {
            var controller = await ConnectAsync(first, token);
            // Streams until the server dies; "total" is the last seq attempted (its frame may or may not have arrived).
            var sending = Task.Run(async () =>
            {
                try
                {
                    for (var seq = 1; seq <= 1_000_000; seq++)
                    {
                        total = seq;
                        await controller.SendWithSeqAsync(seq, "temperature", Reading(seq));
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The server died under us: expected.
                }
            });
            await controller.WaitAckAsync(300);

            first.KillHard();
            await sending;
            await controller.Socket.WaitClosedAsync();
            ackedBeforeKill = controller.HighestAck;
        }

        await using (var second = await ServerProcess.StartAsync(_dataDir, "--Relay:RateBurst", "1000000"))
        {
            var controller = await ConnectAsync(second, token);
            var resume = controller.Welcome.GetProperty("data").GetProperty("resume").GetInt64();
            output.WriteLine($"acked before the kill: {ackedBeforeKill}, stored at restart (resume): {resume}, sent: {total}");
            // Everything acked survived the kill.
            Assert.True(resume >= ackedBeforeKill, $"resume {resume} < acked {ackedBeforeKill}");
            // Replay everything not acknowledged (some of it is stored already: those must not double).
            for (var seq = ackedBeforeKill + 1; seq <= total; seq++)
            {
                await controller.SendWithSeqAsync(seq, "temperature", Reading(seq));
            }

            await controller.WaitAckAsync(total);
            await controller.Socket.CloseAsync();
        }

        var stored = ReadStored();
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), stored.Select(r => r.Seq));
        Assert.All(stored, r => Assert.Equal(r.Seq % 800, r.Value));
        // The kill really happened mid-stream.
        Assert.InRange(ackedBeforeKill, 300, total - 1);
    }

    private static string Reading(long seq) => $"{{\"time\":{1_764_547_200 + seq},\"record\":{seq % 800}}}";

    public void Dispose() => TestServer.TryDelete(_dataDir);

    private async Task<string> ProvisionAsync()
    {
        var text = new StringWriter();
        Assert.Equal(0, await ToolCommands.RunAsync(["users", "add", "alice", "--data-dir", _dataDir], text, text));
        text = new StringWriter();
        Assert.Equal(0, await ToolCommands.RunAsync(["devices", "add", "farm-01", "--owner", "alice", "--data-dir", _dataDir], text, text));
        return text.ToString().TrimEnd('\n').Split('\n')[^1];
    }

    private static async Task<TestController> ConnectAsync(ServerProcess server, string token)
    {
        var socket = await TestSocket.ConnectAsync(new Uri("ws" + server.Address!.ToString()[4..]));
        var controller = new TestController(socket, "farm-01", Boot);
        await socket.SendAsync(TestController.Hello("farm-01", token, Boot));
        controller.Welcome = await socket.WaitForEventAsync("welcome");
        return controller;
    }

    private List<(long Seq, long Value)> ReadStored()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "irrigation.db")};Pooling=false");
        connection.Open();
        using var query = connection.CreateCommand();
        // What a person would type into sqlite3.
        query.CommandText = $"SELECT seq, value FROM readings WHERE boot = {Boot} ORDER BY seq";
        using var reader = query.ExecuteReader();
        var stored = new List<(long, long)>();
        while (reader.Read())
        {
            stored.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return stored;
    }
}
