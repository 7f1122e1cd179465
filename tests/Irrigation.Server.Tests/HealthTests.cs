using Microsoft.AspNetCore.Mvc.Testing;

namespace Irrigation.Server.Tests;

public class HealthTests
{
    [Fact]
    public async Task Healthz_Get_Returns200()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
