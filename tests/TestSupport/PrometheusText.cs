using System;
using System.Globalization;
using System.Linq;

namespace Irrigation.Tests.Support
{
    /// <summary>Reads one sample out of a Prometheus text exposition (what GET /metrics returns).</summary>
    public static class PrometheusText
    {
        /// <summary>
        /// The value of the sample <paramref name="name"/> whose labels include every one of <paramref name="labels"/>
        /// ("key=value"), or null when there is none. Other labels (the exporter's otel_scope_name) are ignored.
        /// </summary>
        public static double? Value(string text, string name, params string[] labels)
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
                {
                    continue;
                }

                var rest = line[name.Length..];
                var sampleLabels = "";
                if (rest.StartsWith('{'))
                {
                    var end = rest.IndexOf('}');
                    sampleLabels = rest[1..end];
                    rest = rest[(end + 1)..];
                }
                else if (!rest.StartsWith(' '))
                {
                    continue; // a longer name with the same prefix
                }

                var parts = rest.Trim().Split(' ');
                if (labels.All(l => sampleLabels.Split(',').Contains(l.Split('=')[0] + "=\"" + l.Split('=', 2)[1] + "\"")))
                {
                    return double.Parse(parts[0], CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
    }
}
