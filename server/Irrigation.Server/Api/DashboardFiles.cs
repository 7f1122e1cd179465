using Microsoft.Extensions.FileProviders;

namespace Irrigation.Server.Api;

/// <summary>Serves the dashboard page (wwwroot) when it is there; the server runs without it.</summary>
public static class DashboardFiles
{
    /// <summary>
    /// UseDefaultFiles + UseStaticFiles over wwwroot: the content root's (dotnet run) or, when the server runs from
    /// another working directory, the one next to the binary.
    /// </summary>
    public static WebApplication UseDashboardFiles(this WebApplication app)
    {
        var candidates = new[] { app.Environment.WebRootPath, Path.Combine(AppContext.BaseDirectory, "wwwroot") };
        var root = candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && Directory.Exists(p));
        if (root is null)
        {
            app.Logger.LogInformation("No wwwroot found: the dashboard page is not served (the API and sockets work)");
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
