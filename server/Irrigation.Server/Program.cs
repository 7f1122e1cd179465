using Irrigation.Server.Api;
using Irrigation.Server.Auth;
using Irrigation.Server.Cli;
using Irrigation.Server.Mqtt;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;
using Irrigation.Server.Security;
using Irrigation.Server.Settings;
using Irrigation.Server.Simulation;
using Irrigation.Server.Storage;
using Irrigation.Server.Water;

// Provisioning commands (users add, devices add/import/list) run without the web host.
if (CommandLine.IsToolCommand(args))
{
    return await ToolCommands.RunAsync(args, Console.Out, Console.Error);
}

// Simulated controllers against any server, without hosting one (load generation, remote demos).
if (SimulateCommand.Matches(args))
{
    using var stopping = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
    return await SimulateCommand.RunAsync(args, Console.Out, Console.Error, stopping.Token);
}

var hostArgs = CommandLine.ToHostArgs(args, out var argsError);
if (hostArgs is null)
{
    Console.Error.WriteLine("error: " + argsError);
    Console.Error.WriteLine(ToolCommands.Usage);
    return 2;
}

var builder = WebApplication.CreateBuilder(hostArgs);
builder.Configuration.AddBinaryFolderDefaults(builder.Environment);
// Sockets close within a second on shutdown; this only bounds a misbehaving handler.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
builder.Services.AddObservability();
builder.Services.AddStorage();
builder.Services.AddAuth();
builder.Services.AddRelay(builder.Configuration);
builder.Services.AddDeviceSettings();
builder.Services.AddWaterLedger();
builder.Services.AddMqttBridge(builder.Configuration);
builder.Services.AddApi();
builder.Services.AddSimulation();
builder.Services.AddProxyTrust();

var app = builder.Build();
await app.Services.MigrateStorageAsync();
app.UseProxyTrust();
app.UseSecurityHeaders();
app.UseCrossSiteRequestGuard();
app.MapControllerSocket();
app.UseDashboardFiles();
app.MapDashboardSocket();
app.MapSessionApi();
app.MapDevicesApi();
app.MapWaterApi();
app.MapReadingKindsApi();
app.MapMembersApi();
app.MapAuditApi();
app.MapSettingsApi();
app.MapHealth();
app.MapMetrics();
app.AnnounceWhenListening();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
