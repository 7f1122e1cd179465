using Microsoft.Extensions.Configuration.Json;

namespace Irrigation.Server.Options;

/// <summary>Makes the appsettings.json next to the binary count when the server runs from another working directory.</summary>
public static class ConfigurationDefaults
{
    /// <summary>
    /// Adds the binary folder's appsettings.json as the lowest-priority source: the working directory's
    /// appsettings, environment variables (Relay__MaxFrameBytes) and the command line still override it.
    /// </summary>
    public static ConfigurationManager AddBinaryFolderDefaults(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        var folder = AppContext.BaseDirectory;
        var file = Path.Combine(folder, "appsettings.json");
        if (File.Exists(file) && Path.GetFullPath(environment.ContentRootPath).TrimEnd('/') != Path.GetFullPath(folder).TrimEnd('/'))
        {
            var source = new JsonConfigurationSource { Path = "appsettings.json", Optional = true };
            source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder);
            configuration.Sources.Insert(0, source);
        }

        return configuration;
    }
}
