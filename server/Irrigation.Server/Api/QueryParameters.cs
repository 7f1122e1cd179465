using System.Globalization;

namespace Irrigation.Server.Api;

/// <summary>Parses optional integer query parameters, collecting a message per bad one.</summary>
public static class QueryParameters
{
    /// <summary>The value of <paramref name="name"/>, <paramref name="fallback"/> when absent; null + error when not an integer.</summary>
    public static long? Integer(HttpRequest request, string name, long fallback, List<string> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{name} must be an integer (got '{(text.Length > 32 ? text[..32] : text)}')");
        return null;
    }
}
