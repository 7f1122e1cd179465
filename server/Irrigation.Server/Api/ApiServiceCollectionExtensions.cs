using System.Text.Json;

namespace Irrigation.Server.Api;

/// <summary>JSON conventions of the REST API.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>Field names in lower snake_case, like the wire protocol.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        return services;
    }
}
