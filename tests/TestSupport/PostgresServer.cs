using System;
using System.IO;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// A private PostgreSQL 15 server on 127.0.0.1 with its own data folder, started by the test and stopped (and its
    /// folder deleted) when disposed. As root, initdb and the server run as the package's postgres user.
    /// </summary>
    public sealed class PostgresServer : IAsyncDisposable
    {
        private const string Bin = "/usr/lib/postgresql/15/bin/";
        private readonly string _dir;

        private PostgresServer(string dir, int port)
        {
            _dir = dir;
            Port = port;
        }

        /// <summary>The port it listens on.</summary>
        public int Port { get; }

        /// <summary>The server's data directory (its postmaster.pid names the process whose children are the backends).</summary>
        public string DataDirectory => Path.Combine(_dir, "data");

        /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser.</summary>
        public string ConnectionString(string database = "postgres") =>
            $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

        /// <summary>Initialises a data folder and starts the server (about two seconds).</summary>
        public static async Task<PostgresServer> StartAsync()
        {
            var initdb = ServerBinaries.Find("postgresql", Bin + "initdb");
            var dir = Path.Combine(Path.GetTempPath(), "irrigation-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            var port = ServerBinaries.FreePort();
            var server = new PostgresServer(dir, port);
            if (ServerBinaries.IsRoot)
            {
                await ServerBinaries.RunAsync("chown", TimeSpan.FromSeconds(10), "postgres:postgres", dir);
            }

            await AsPostgresAsync($"{initdb} -D {dir}/data -A trust -U postgres --no-sync", TimeSpan.FromSeconds(60));
            // fsync stays on: the tests check what an acknowledged event survives.
            await AsPostgresAsync(
                $"{Bin}pg_ctl -D {dir}/data -l {dir}/log -w -t 60 -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200\" start",
                TimeSpan.FromSeconds(90));
            return server;
        }

        /// <summary>Creates an empty database and returns its connection string.</summary>
        public async Task<string> CreateDatabaseAsync()
        {
            var name = "t_" + Guid.NewGuid().ToString("N")[..16];
            await ServerBinaries.RunAsync(Bin + "createdb", TimeSpan.FromSeconds(30), "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", name);
            return ConnectionString(name);
        }

        /// <summary>Stops the server and deletes its folder.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                await AsPostgresAsync($"{Bin}pg_ctl -D {_dir}/data -m immediate -w stop", TimeSpan.FromSeconds(30));
            }
            finally
            {
                try
                {
                    Directory.Delete(_dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        private static Task AsPostgresAsync(string command, TimeSpan timeout) => ServerBinaries.IsRoot
            ? ServerBinaries.RunAsync("su", timeout, "postgres", "-s", "/bin/sh", "-c", command)
            : ServerBinaries.RunAsync("/bin/sh", timeout, "-c", command);
    }
}
