namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// Writes every frame a controller sends, in the contract's field order (the canonical form of
    /// tests/vectors/to-server/valid). Each method resets the writer it is given, writes one frame, and returns
    /// it, or null when it did not fit the writer. Zone lists are given as names plus a bit mask
    /// (bit n = names[n]) so the offline buffer can keep them as one integer.
    /// </summary>
    public static class ControllerFrames
    {
        /// <summary>The protocol version sent in hello.</summary>
        public const int ProtocolVersion = 1;

        /// <summary>
        /// <c>hello</c>: the first frame of every connection (no seq). <paramref name="settingsVersion"/> is the version
        /// of the server's settings the controller runs, 0 when it runs only the board's file.
        /// </summary>
        public static string Hello(JsonWriter w, string device, string token, string firmware, long boot, string[] zones, string[] sensors, long settingsVersion)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.Hello, 0);
            w.Property("device", device);
            w.Property("token", token);
            w.Property("firmware", firmware);
            w.Property("protocol", ProtocolVersion);
            w.Property("boot", boot);
            w.Property("zones", zones);
            w.Property("sensors", sensors);
            w.Property("settings_version", settingsVersion);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>temperature</c> {time, record}: record in tenths of °C.</summary>
        public static string Temperature(JsonWriter w, long seq, long time, int deciCelsius)
        {
            return Record(w, EventNames.Temperature, seq, time, deciCelsius);
        }

        /// <summary><c>humidity</c> {time, record}: record in tenths of %RH.</summary>
        public static string Humidity(JsonWriter w, long seq, long time, int deciPercent)
        {
            return Record(w, EventNames.Humidity, seq, time, deciPercent);
        }

        /// <summary><c>soil_moisture</c> {time, record, raw, zone?}: a null zone is left out.</summary>
        public static string SoilMoisture(JsonWriter w, long seq, long time, int deciPercent, int raw, string zone)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.SoilMoisture, seq);
            w.Property("time", time);
            w.Property("record", deciPercent);
            w.Property("raw", raw);
            if (zone != null)
            {
                w.Property("zone", zone);
            }

            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>irrigation_started</c> {time, zones, reason, duration}: duration = the lease in seconds.</summary>
        public static string IrrigationStarted(JsonWriter w, long seq, long time, string[] zoneNames, int zoneMask, string reason, long durationSeconds)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.IrrigationStarted, seq);
            w.Property("time", time);
            Zones(w, "zones", zoneNames, zoneMask);
            w.Property("reason", reason);
            w.Property("duration", durationSeconds);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>irrigation_stopped</c> {time, zones, reason} of a controller without a flow meter.</summary>
        public static string IrrigationStopped(JsonWriter w, long seq, long time, string[] zoneNames, int zoneMask, string reason)
        {
            return IrrigationStopped(w, seq, time, zoneNames, zoneMask, reason, -1);
        }

        /// <summary>
        /// <c>irrigation_stopped</c> {time, zones, reason, litres?}: <paramref name="litres"/> is the run's volume in
        /// tenths of a litre, left out when negative (no meter, or the meter is disconnected: the volume is unknown).
        /// </summary>
        public static string IrrigationStopped(JsonWriter w, long seq, long time, string[] zoneNames, int zoneMask, string reason, long litres)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.IrrigationStopped, seq);
            w.Property("time", time);
            Zones(w, "zones", zoneNames, zoneMask);
            w.Property("reason", reason);
            if (litres >= 0)
            {
                w.Property("litres", litres);
            }

            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>sensor_disconnected</c> {time, sensor}.</summary>
        public static string SensorDisconnected(JsonWriter w, long seq, long time, string sensor)
        {
            return Sensor(w, EventNames.SensorDisconnected, seq, time, sensor);
        }

        /// <summary><c>sensor_reconnected</c> {time, sensor}.</summary>
        public static string SensorReconnected(JsonWriter w, long seq, long time, string sensor)
        {
            return Sensor(w, EventNames.SensorReconnected, seq, time, sensor);
        }

        /// <summary><c>status</c> {time, uptime, free_heap, rssi, open_zones, buffered, dropped}.</summary>
        public static string Status(JsonWriter w, long seq, long time, long uptimeSeconds, long freeHeap, long rssi, string[] zoneNames, int openMask, long buffered, long dropped)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.Status, seq);
            w.Property("time", time);
            w.Property("uptime", uptimeSeconds);
            w.Property("free_heap", freeHeap);
            w.Property("rssi", rssi);
            Zones(w, "open_zones", zoneNames, openMask);
            w.Property("buffered", buffered);
            w.Property("dropped", dropped);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>command_result</c> {time, id, ok, error?}: a null error is left out.</summary>
        public static string CommandResult(JsonWriter w, long seq, long time, string id, bool ok, string error)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.CommandResult, seq);
            w.Property("time", time);
            w.Property("id", id);
            w.Property("ok", ok);
            if (error != null)
            {
                w.Property("error", error);
            }

            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>log</c> {time, level, message}: level is the serial log letter (W, E).</summary>
        public static string Log(JsonWriter w, long seq, long time, string level, string message)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.Log, seq);
            w.Property("time", time);
            w.Property("level", level);
            w.Property("message", message);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary><c>settings_applied</c> {time, version}: the controller stored and runs these settings.</summary>
        public static string SettingsApplied(JsonWriter w, long seq, long time, long version)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.SettingsApplied, seq);
            w.Property("time", time);
            w.Property("version", version);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary>
        /// <c>settings_rejected</c> {time, version, errors}: as many errors as fit the writer, then one
        /// <c>"... and N more errors"</c>, so a long list is cut rather than lost as a whole.
        /// </summary>
        public static string SettingsRejected(JsonWriter w, long seq, long time, long version, string[] errors)
        {
            int count = errors == null ? 0 : errors.Length;
            for (int kept = count; kept >= 0; kept--)
            {
                w.Reset();
                w.BeginEnvelope(EventNames.SettingsRejected, seq);
                w.Property("time", time);
                w.Property("version", version);
                w.Name("errors");
                w.BeginArray();
                for (int i = 0; i < kept; i++)
                {
                    w.String(errors[i]);
                }

                if (kept < count)
                {
                    w.String("... and " + (count - kept).ToString() + " more errors");
                }

                w.EndArray();
                w.EndEnvelope();
                if (!w.Overflowed)
                {
                    return w.ToString();
                }
            }

            return null;
        }

        /// <summary><c>irrigation_skipped</c> {time, zones, reason}: reason is rain_delay, freeze or min_interval.</summary>
        public static string IrrigationSkipped(JsonWriter w, long seq, long time, string[] zoneNames, int zoneMask, string reason)
        {
            return ZonesAndReason(w, EventNames.IrrigationSkipped, seq, time, zoneNames, zoneMask, reason);
        }

        /// <summary><c>flow</c> {time, zone?, rate}: rate in tenths of a litre per minute; a null zone is left out.</summary>
        public static string Flow(JsonWriter w, long seq, long time, string zone, long rate)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.Flow, seq);
            w.Property("time", time);
            if (zone != null)
            {
                w.Property("zone", zone);
            }

            w.Property(ReadingSpecs.Flow.Field, rate);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary>
        /// <c>flow_alert</c> {time, zone?, kind, expected, measured}: kind is one of <see cref="FlowAlertKinds"/>,
        /// the rates are tenths of a litre per minute; a null zone (a leak) is left out.
        /// </summary>
        public static string FlowAlert(JsonWriter w, long seq, long time, string zone, string kind, long expected, long measured)
        {
            w.Reset();
            w.BeginEnvelope(EventNames.FlowAlert, seq);
            w.Property("time", time);
            if (zone != null)
            {
                w.Property("zone", zone);
            }

            w.Property("kind", kind);
            w.Property("expected", expected);
            w.Property("measured", measured);
            w.EndEnvelope();
            return w.ToString();
        }

        /// <summary>A mask with the first <paramref name="count"/> bits set (every zone).</summary>
        public static int AllZones(int count)
        {
            return count >= 31 ? 0x7FFFFFFF : (1 << count) - 1;
        }

        private static string Record(JsonWriter w, string eventName, long seq, long time, int record)
        {
            w.Reset();
            w.BeginEnvelope(eventName, seq);
            w.Property("time", time);
            w.Property("record", record);
            w.EndEnvelope();
            return w.ToString();
        }

        private static string ZonesAndReason(JsonWriter w, string eventName, long seq, long time, string[] zoneNames, int zoneMask, string reason)
        {
            w.Reset();
            w.BeginEnvelope(eventName, seq);
            w.Property("time", time);
            Zones(w, "zones", zoneNames, zoneMask);
            w.Property("reason", reason);
            w.EndEnvelope();
            return w.ToString();
        }

        private static string Sensor(JsonWriter w, string eventName, long seq, long time, string sensor)
        {
            w.Reset();
            w.BeginEnvelope(eventName, seq);
            w.Property("time", time);
            w.Property("sensor", sensor);
            w.EndEnvelope();
            return w.ToString();
        }

        private static void Zones(JsonWriter w, string name, string[] zoneNames, int mask)
        {
            w.Name(name);
            w.BeginArray();
            for (int i = 0; i < zoneNames.Length && i < 31; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    w.String(zoneNames[i]);
                }
            }

            w.EndArray();
        }
    }
}
