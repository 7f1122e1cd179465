using System.Net;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Api;

public class ReadingKindsApiTests
{
    [Fact]
    public async Task ReadingKinds_SignedIn_TheCoresTable_WithoutToken_401()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        using var http = server.Http(alice);
        using var anonymous = server.Http();

        var response = await http.GetAsync("api/reading-kinds");
        var refused = await anonymous.GetAsync("api/reading-kinds");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(ReadingSpecs.ToJson(new JsonWriter(4096)), body);
        var kinds = JsonDocument.Parse(body).RootElement.GetProperty("kinds").EnumerateArray().ToList();
        var flow = Assert.Single(kinds, k => k.GetProperty("name").GetString() == "flow");
        Assert.Equal(("rate", "L/min", 10), (flow.GetProperty("field").GetString(), flow.GetProperty("unit").GetString(), flow.GetProperty("scale").GetInt32()));
        Assert.Equal(ReadingSpecs.All.Length, kinds.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
