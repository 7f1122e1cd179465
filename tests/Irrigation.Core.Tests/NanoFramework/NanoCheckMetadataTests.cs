using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.NanoFramework;

/// <summary>
/// The nanoFramework 1.17 runtime has no generics, but the C# compiler accepts user-defined ones against its
/// mscorlib. These tests read the assemblies built by the firmware check projects and fail on any generic
/// definition or on a reference to anything the device does not have.
/// </summary>
public class NanoCheckMetadataTests
{
    public static TheoryData<string, string[]> CheckAssemblies => new()
    {
        { "firmware/Irrigation.Core.NanoCheck", new[] { "mscorlib" } },
        { "firmware/Irrigation.Firmware.Facade", new[] { "mscorlib" } },
        { "firmware/Irrigation.Firmware.NanoCheck", new[] { "mscorlib", "Irrigation.Firmware.Facade" } },
    };

    [Theory]
    [MemberData(nameof(CheckAssemblies))]
    public void CheckAssembly_Metadata_HasNoGenericDefinitions(string projectFolder, string[] allowedReferences)
    {
        _ = allowedReferences;
        using var pe = OpenNewest(projectFolder);
        var md = pe.GetMetadataReader();

        var generic = new List<string>();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            string name = md.GetString(type.Namespace) + "." + md.GetString(type.Name);
            if (type.GetGenericParameters().Count > 0)
            {
                generic.Add("type " + name);
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.GetGenericParameters().Count > 0)
                {
                    generic.Add("method " + name + "." + md.GetString(method.Name));
                }
            }
        }

        // Generic instantiations of anything (List<int>, Span<T> from a compiler helper) are just as absent on the device.
        int instantiations = md.GetTableRowCount(TableIndex.TypeSpec) + md.GetTableRowCount(TableIndex.MethodSpec);
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                instantiations--; // arrays and pointers are type specs too, and they are fine
            }
        }

        Assert.True(generic.Count == 0, "generic definitions the device cannot load: " + string.Join(", ", generic));
        Assert.True(instantiations == 0, $"{instantiations} generic instantiations the device cannot load");
    }

    [Theory]
    [MemberData(nameof(CheckAssemblies))]
    public void CheckAssembly_References_OnlyAllowedAssemblies(string projectFolder, string[] allowedReferences)
    {
        using var pe = OpenNewest(projectFolder);
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();

        Assert.Contains("mscorlib", references);
        Assert.Empty(references.Except(allowedReferences));
    }

    private static PEReader OpenNewest(string projectFolder)
    {
        string name = Path.GetFileName(projectFolder) + ".dll";
        var candidates = Directory.GetFiles(RepoPaths.Combine(projectFolder.Split('/')), name, SearchOption.AllDirectories)
            .Where(p => p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        Assert.True(candidates.Count > 0, $"{name} was not built; run dotnet build Irrigation.sln first");
        return new PEReader(File.OpenRead(candidates[0]));
    }
}
