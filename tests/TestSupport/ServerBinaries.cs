using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>Finding and running the database and broker programs that tests/run-all.sh installs from Debian's packages.</summary>
    public static class ServerBinaries
    {
        /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>The first of <paramref name="candidates"/> that exists, or an error that says what to install.</summary>
        public static string Find(string package, params string[] candidates) =>
            candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{Path.GetFileName(candidates[0])} not found ({string.Join(", ", candidates)}): install Debian's '{package}' package " +
                "(tests/run-all.sh does: apt-get install -y " + package + ")");

        /// <summary>
        /// Starts <paramref name="file"/> as a child process (its output read and dropped, so it never blocks on a full
        /// pipe) and waits until it accepts TCP connections on 127.0.0.1:<paramref name="port"/>.
        /// </summary>
        public static async Task<Process> StartListeningAsync(string file, string arguments, int port)
        {
            var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    return process;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(20);
                }
            }
        }

        /// <summary>True when the tests run as root (PostgreSQL then needs its own user).</summary>
        public static bool IsRoot => Environment.UserName == "root";

        /// <summary>Runs a program to its end; throws with its output when it fails.</summary>
        public static async Task RunAsync(string file, TimeSpan timeout, params string[] arguments)
        {
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stdout} {await stderr}");
            }
        }
    }
}
