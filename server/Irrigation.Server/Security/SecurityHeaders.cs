namespace Irrigation.Server.Security;

/// <summary>The browser-facing security headers, on every response (page, scripts, API answers, errors).</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles and connections only from this server; no inline script or style attribute, no plugins, no
    /// &lt;base&gt; rewriting, forms only to this server, and no framing by any page (clickjacking). <c>connect-src
    /// 'self'</c> covers the dashboard's own ws:// and wss:// socket. The dashboard is written for it: no inline
    /// script, no event-handler attributes, no style attributes (uPlot sets styles through the CSSOM, which CSP allows).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// No Referer at all: the dashboard's first address carries <c>?token=</c> until the page removes it, and no link
    /// of the page needs to tell where it came from.
    /// </summary>
    public const string ReferrerPolicy = "no-referrer";

    /// <summary>Adds the headers before anything else answers.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = ReferrerPolicy;
            // frame-ancestors says the same to current browsers; this is for the ones before CSP 2.
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        return app;
    }
}
