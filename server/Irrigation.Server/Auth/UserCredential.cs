namespace Irrigation.Server.Auth;

/// <summary>Where a request's user token came from.</summary>
public enum UserCredential
{
    /// <summary>No token at all.</summary>
    None,

    /// <summary>Authorization: Bearer.</summary>
    Bearer,

    /// <summary>The session cookie (a browser sends it by itself, so the Origin is checked).</summary>
    Cookie,

    /// <summary>?access_token= (WebSocket from a browser, which cannot set headers).</summary>
    Query,
}
