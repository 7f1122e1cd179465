using System;
using System.IO;

namespace Irrigation.Tests.Support
{
    /// <summary>Finds files of the repository from a test's output folder.</summary>
    public static class RepoPaths
    {
        private static readonly Lazy<string> RootPath = new(FindRoot);

        /// <summary>The folder that holds Irrigation.sln.</summary>
        public static string Root => RootPath.Value;

        /// <summary>The golden protocol frames (tests/vectors).</summary>
        public static string Vectors => Path.Combine(Root, "tests", "vectors");

        /// <summary>A path below the repository root.</summary>
        public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Irrigation.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Irrigation.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
