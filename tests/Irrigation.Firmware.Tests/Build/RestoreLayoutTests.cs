using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Irrigation.Tests.Support;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// Visual Studio restores packages.config projects per SOLUTION: into repositoryPath of the nuget.config nearest
    /// the .sln (a nuget.config in a project folder is not read), else into &lt;solution folder&gt;/packages. A
    /// command-line restore of the project alone treats the project folder as the solution folder. Every way of
    /// restoring the device project must put the packages where its HintPaths look.
    /// </summary>
    public class RestoreLayoutTests
    {
        private static readonly string Root = RepoPaths.Root;
        private static readonly string Nfproj = RepoPaths.Combine("firmware", "Irrigation.Firmware", "Irrigation.Firmware.nfproj");

        /// <summary>Where a packages.config restore started from <paramref name="solutionFolder"/> puts packages.</summary>
        private static string RestoreFolder(string solutionFolder)
        {
            for (var dir = new DirectoryInfo(solutionFolder); dir != null; dir = dir.Parent)
            {
                var config = dir.GetFiles().FirstOrDefault(f => string.Equals(f.Name, "nuget.config", StringComparison.OrdinalIgnoreCase));
                string repositoryPath = config == null ? null : XDocument.Load(config.FullName).Root.Element("config")?.Elements("add")
                    .FirstOrDefault(a => (string)a.Attribute("key") == "repositoryPath")?.Attribute("value")?.Value;
                if (repositoryPath != null)
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, repositoryPath.Replace('\\', Path.DirectorySeparatorChar)));
                }

                if (dir.FullName == Root)
                {
                    break;   // the machine's and the user's configs are not the repository's business
                }
            }

            return Path.GetFullPath(Path.Combine(solutionFolder, "packages"));
        }

        /// <summary>The folder every HintPath of the .nfproj points into.</summary>
        private static string HintPathFolder()
        {
            XNamespace m = "http://schemas.microsoft.com/developer/msbuild/2003";
            var folders = XDocument.Load(Nfproj).Descendants(m + "HintPath")
                .Select(h => h.Value.Split('\\')[0])
                .Distinct()
                .ToList();
            Assert.Single(folders);
            return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Nfproj), folders[0]));
        }

        public static TheoryData<string> SolutionsWithTheDeviceProject()
        {
            var data = new TheoryData<string>();
            foreach (string sln in Directory.GetFiles(Root, "*.sln", SearchOption.AllDirectories).Where(p => !p.Contains("/bin/") && !p.Contains("/obj/")))
            {
                if (Regex.IsMatch(File.ReadAllText(sln), @"Irrigation\.Firmware\.nfproj"))
                {
                    data.Add(Path.GetRelativePath(Root, sln));
                }
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(SolutionsWithTheDeviceProject))]
        public void SolutionRestore_PutsPackagesWhereTheHintPathsLook(string solution)
        {
            string folder = Path.GetDirectoryName(Path.Combine(Root, solution));

            Assert.Equal(HintPathFolder(), RestoreFolder(folder));
        }

        [Fact]
        public void ProjectRestore_FromTheCommandLine_PutsPackagesWhereTheHintPathsLook()
        {
            // msbuild Irrigation.Firmware.nfproj -restore -p:RestorePackagesConfig=true (nanoff-flash.ps1 -Build).
            Assert.Equal(HintPathFolder(), RestoreFolder(Path.GetDirectoryName(Nfproj)));
        }

        [Fact]
        public void FirmwareSolution_BesideTheNfproj_AsNanoFrameworkSamplesDo()
        {
            var solutions = SolutionsWithTheDeviceProject().Select<object[], string>(row => (string)row[0]).ToList();
            Assert.Contains(Path.Combine("firmware", "Irrigation.Firmware", "Irrigation.Firmware.sln"), solutions);
            Assert.Contains("Irrigation.sln", solutions);
        }
    }
}
