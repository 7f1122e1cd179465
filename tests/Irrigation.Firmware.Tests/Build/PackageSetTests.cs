using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Irrigation.Tests.Support;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// The device's package set (packages.config) against the dependency minimums each package's nuspec declares,
    /// recorded with their source in firmware/Irrigation.Firmware/package-minimums.txt (NuGet serves none of these
    /// packages here, so the nuspecs were read in the packages' repositories at the pinned tags).
    /// </summary>
    public class PackageSetTests
    {
        private static readonly string AppDir = RepoPaths.Combine("firmware", "Irrigation.Firmware");

        private static Dictionary<string, Version> Pinned() =>
            XDocument.Load(Path.Combine(AppDir, "packages.config")).Root.Elements("package")
                .ToDictionary(p => (string)p.Attribute("id"), p => Version.Parse((string)p.Attribute("version")));

        private static List<(string Package, Version Version, string Dependency, Version Minimum, string Source)> Records()
        {
            var records = new List<(string, Version, string, Version, string)>();
            foreach (string line in File.ReadAllText(Path.Combine(AppDir, "package-minimums.txt")).Split('\n'))
            {
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                string[] parts = line.Split('|', StringSplitOptions.TrimEntries);
                string[] package = parts[0].Split(' ');
                string[] dependency = parts[1] == "-" ? null : parts[1].Split(' ');
                records.Add((package[0], Version.Parse(package[1]), dependency?[0], dependency == null ? null : Version.Parse(dependency[1]), parts[2]));
            }

            return records;
        }

        [Fact]
        public void PackagesConfig_EveryDeclaredMinimum_IsMetByThePinnedVersion()
        {
            var pinned = Pinned();
            var unmet = Records()
                .Where(r => r.Dependency != null)
                .Where(r => !pinned.TryGetValue(r.Dependency, out Version v) || v < r.Minimum)
                .Select(r => $"{r.Package} {r.Version} needs {r.Dependency} >= {r.Minimum}, packages.config has {(pinned.TryGetValue(r.Dependency, out Version v) ? v.ToString() : "none")}")
                .ToList();

            Assert.True(unmet.Count == 0, string.Join("\n", unmet));
        }

        [Fact]
        public void PackageMinimums_CoverEveryPinnedPackageAtItsPinnedVersion()
        {
            var pinned = Pinned();
            var recorded = Records().GroupBy(r => r.Package).ToDictionary(g => g.Key, g => g.First().Version);

            Assert.Equal(pinned.Keys.OrderBy(k => k), recorded.Keys.OrderBy(k => k));
            foreach (var (id, version) in pinned)
            {
                Assert.True(recorded[id] == version, $"{id}: packages.config pins {version}, the minimums were read for {recorded[id]}");
            }
        }

        [Fact]
        public void PackagesConfig_RuntimeEvents_MeetsHardwareEsp32AndTheNetworkPackages()
        {
            // The defect that started this: 1.11.32 is below what System.Net, Wifi, Gpio, FileSystem, IO.Ports (1.11.37)
            // and Hardware.Esp32 (1.11.39) declare.
            Assert.True(Pinned()["nanoFramework.Runtime.Events"] >= new Version(1, 11, 39));
        }
    }
}
