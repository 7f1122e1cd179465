using System.Net.Http.Headers;

namespace Irrigation.Browser.Tests
{
    /// <summary>The REST API as one user (Authorization: Bearer), for arranging what a test then looks at in the page.</summary>
    public static class UserApi
    {
        /// <summary>An HttpClient on <paramref name="server"/> that sends <paramref name="token"/>.</summary>
        public static HttpClient For(Uri server, string token)
        {
            var http = new HttpClient { BaseAddress = server };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }
    }
}
