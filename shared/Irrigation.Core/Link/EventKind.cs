namespace Irrigation.Core.Link
{
    /// <summary>The kind of a buffered event (one per controller event of the contract).</summary>
    public enum EventKind
    {
        /// <summary>temperature {record}: A = tenths of °C.</summary>
        Temperature = 1,
        /// <summary>humidity {record}: A = tenths of %RH.</summary>
        Humidity = 2,
        /// <summary>soil_moisture: A = tenths of %, B = raw, C = zone index or -1, D = zone names generation.</summary>
        SoilMoisture = 3,
        /// <summary>irrigation_started: A = zone mask, B = reason, C = duration s, D = zone names generation.</summary>
        IrrigationStarted = 4,
        /// <summary>irrigation_stopped: A = zone mask, B = reason, C = litres in tenths or -1 (unknown: <c>WaterMeter.NoLitres</c>), D = zone names generation.</summary>
        IrrigationStopped = 5,
        /// <summary>sensor_disconnected: A = sensor index.</summary>
        SensorDisconnected = 6,
        /// <summary>sensor_reconnected: A = sensor index.</summary>
        SensorReconnected = 7,
        /// <summary>status: A = free heap, B = rssi, C = open zone mask, D = buffered, E = dropped.</summary>
        Status = 8,
        /// <summary>command_result: text = id, A = ok (1/0), B = error code, C = error argument.</summary>
        CommandResult = 9,
        /// <summary>log: text = message, A = level.</summary>
        Log = 10,
        /// <summary>settings_applied: A = version.</summary>
        SettingsApplied = 11,
        /// <summary>settings_rejected: A = version (the errors stay with the settings component: too long for a record).</summary>
        SettingsRejected = 12,
        /// <summary>irrigation_skipped: A = zone mask, B = <c>SkipReason</c>, D = zone names generation.</summary>
        IrrigationSkipped = 13,
        /// <summary>flow: A = rate (tenths of L/min), B = zone index or -1, D = zone names generation.</summary>
        Flow = 14,
        /// <summary>flow_alert: A = <c>FlowAlarm</c>, B = zone index or -1, C = expected, D = zone names generation, E = measured (tenths of L/min).</summary>
        FlowAlert = 15,
    }
}
