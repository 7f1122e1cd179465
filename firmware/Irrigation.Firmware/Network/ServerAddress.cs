namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// Reads the host out of the server URL. ClientWebSocket.Connect resolves the host itself, once per attempt,
    /// with Dns.GetHostEntry; an IPv4 literal resolves without asking any DNS server, and a DNS server that does
    /// not answer freezes the whole runtime for the lookup (lwIP's getaddrinfo blocks the one RTOS task that
    /// runs every managed thread). So an IP-literal URL is the recommended setting, and a host name is warned about.
    /// </summary>
    public static class ServerAddress
    {
        /// <summary>The host of a ws:// or wss:// URL (without port or path), or null when there is none.</summary>
        public static string HostOf(string url)
        {
            if (url == null)
            {
                return null;
            }

            int start = url.IndexOf("://");
            if (start < 0)
            {
                return null;
            }

            start += 3;
            int end = start;
            while (end < url.Length && url[end] != ':' && url[end] != '/' && url[end] != '?')
            {
                end++;
            }

            return end > start ? url.Substring(start, end - start) : null;
        }

        /// <summary>True for a dotted IPv4 address: four numbers 0-255.</summary>
        public static bool IsIpv4Literal(string host)
        {
            if (host == null || host.Length == 0)
            {
                return false;
            }

            int parts = 0;
            int value = 0;
            int digits = 0;
            for (int i = 0; i <= host.Length; i++)
            {
                char c = i < host.Length ? host[i] : '.';
                if (c == '.')
                {
                    if (digits == 0 || value > 255)
                    {
                        return false;
                    }

                    parts++;
                    value = 0;
                    digits = 0;
                }
                else if (c >= '0' && c <= '9' && digits < 3)
                {
                    value = value * 10 + (c - '0');
                    digits++;
                }
                else
                {
                    return false;
                }
            }

            return parts == 4;
        }
    }
}
