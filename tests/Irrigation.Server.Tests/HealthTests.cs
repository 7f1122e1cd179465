using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests;

public class HealthTests
{
    [Fact]
    public async Task Healthz_Get_Returns200()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Http();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
