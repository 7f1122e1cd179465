using System;
using System.Collections.Generic;

namespace Irrigation.Tests.Support
{
    /// <summary>What <see cref="ServerProcess.StartAsync(ServerLaunch)"/> runs: <c>dotnet DLL --urls http://127.0.0.1:PORT [--data-dir DIR] ARGS</c>.</summary>
    public sealed record ServerLaunch
    {
        /// <summary>The program (default: the server, <see cref="ServerProcess.Dll"/>).</summary>
        public string Dll { get; init; } = ServerProcess.Dll;

        /// <summary>Arguments right after the program, before the address (a subcommand).</summary>
        public IReadOnlyList<string> Command { get; init; } = [];

        /// <summary>The data dir (<c>--data-dir</c>), or null to pass none.</summary>
        public string? DataDir { get; init; }

        /// <summary>Arguments after the address and the data dir.</summary>
        public IReadOnlyList<string> Arguments { get; init; } = [];

        /// <summary>The port on 127.0.0.1 (0: any free one).</summary>
        public int Port { get; init; }

        /// <summary>The working directory, which is also the content root (default: the program's folder).</summary>
        public string? WorkingDirectory { get; init; }

        /// <summary>Environment variables for the process (added to this process's own).</summary>
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

        /// <summary>Prints every line of the server's output on the console with this prefix (null: silent).</summary>
        public string? EchoPrefix { get; init; }

        /// <summary>Deletes <see cref="DataDir"/> when the process is disposed.</summary>
        public bool DeleteDataDir { get; init; }
    }
}
