using System;
using System.Collections;
using Irrigation.Core.Settings;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Settings
{
    /// <summary>
    /// Reads the controller's configuration file from the board's internal drive. The file holds the
    /// device id, token, server URL and Wi-Fi credentials, so it is written to the board by
    /// nanoff-flash.ps1 and never kept in source control. Parsing and validation belong to the core's reader;
    /// this class logs one line per wrong field it reports.
    /// </summary>
    public static class ConfigFile
    {
        /// <summary>The file's text, or null (with an actionable log line) when it is missing or unreadable.</summary>
        public static string ReadText(IFlashFiles files, string path, FirmwareLog log)
        {
            try
            {
                string text = files.ReadText(path);
                if (text == null)
                {
                    log.Error("config", path + " not found: provision the board with nanoff-flash.ps1 -Device -Token -Server -WifiSsid -WifiPassword");
                    return null;
                }

                if (text.Length == 0)
                {
                    log.Error("config", path + " is empty: provision the board again with nanoff-flash.ps1");
                    return null;
                }

                log.Info("config", "read " + path + " (" + text.Length + " chars)");
                return text;
            }
            catch (Exception ex)
            {
                log.Error("config", "cannot read " + path + ": " + ex.Message);
                return null;
            }
        }

        /// <summary>Logs one warning line per entry of <paramref name="warnings"/> (unknown keys: typos worth seeing).</summary>
        public static void ReportWarnings(IEnumerable warnings, FirmwareLog log)
        {
            if (warnings == null)
            {
                return;
            }

            foreach (object warning in warnings)
            {
                log.Warn("config", warning == null ? "unexpected field" : warning.ToString());
            }
        }

        /// <summary>Logs one error line per entry of <paramref name="errors"/>; returns how many there were.</summary>
        public static int ReportErrors(IEnumerable errors, FirmwareLog log)
        {
            int count = 0;
            if (errors == null)
            {
                return 0;
            }

            foreach (object error in errors)
            {
                count++;
                log.Error("config", error == null ? "invalid field" : error.ToString());
            }

            return count;
        }
    }
}
