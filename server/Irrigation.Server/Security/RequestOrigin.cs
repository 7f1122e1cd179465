namespace Irrigation.Server.Security;

/// <summary>Whether a browser sent a request from a page of another site (cross-site request forgery, WebSocket hijacking).</summary>
public static class RequestOrigin
{
    /// <summary>
    /// True when the request's <c>Origin</c> is not this server's own, or, without an <c>Origin</c>, when the browser's
    /// <c>Sec-Fetch-Site</c> says another site made it. Requests without either (controllers, curl, scripts) are not
    /// foreign: they carry their credentials themselves, a browser does not add any to them.
    /// </summary>
    /// <remarks>
    /// Host and port are compared, not the scheme: behind a reverse proxy whose address is not trusted the server sees
    /// http while the browser shows https, and a same-host page on the other scheme is the same site anyway. The proxy
    /// must pass the browser's Host header on (deploy/nginx: <c>proxy_set_header Host $http_host</c>).
    /// </remarks>
    public static bool IsForeign(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            // "null" (sandboxed frames, file: pages) and anything unparsable count as foreign.
            return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site is "cross-site" or "same-site";
    }
}
