using System.Device.Wifi;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Network;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Network
{
    /// <summary>WifiConnector on the model of System.Device.Wifi (Models/WifiModel.cs).</summary>
    public class WifiConnectorTests : ModelTest
    {
        // One failed attempt waits FirmwareDefaults.WifiAttemptTimeoutMs, then WifiRetryDelayMs: a week of them.
        private const int AttemptsPerDay = 24 * 3600 * 1000 / (FirmwareDefaults.WifiAttemptTimeoutMs + FirmwareDefaults.WifiRetryDelayMs);

        [Fact]
        public void WifiNeverConnects_AWeekOfAttempts_RetainedMemoryStaysFlat()
        {
            ModelWifi.SucceedFromAttempt = 7 * AttemptsPerDay + 1;
            FirmwareLog log = Rig.NewLog();
            var wifi = new WifiConnector(20, 0, log);

            wifi.Start("Farm", "password123");
            Assert.True(Eventually(() => ModelWifi.Attempts >= AttemptsPerDay, 60000), "attempts: " + ModelWifi.Attempts);
            int retainedAfterADay = WifiAdapter.RetainedCount;
            Assert.True(Eventually(() => wifi.IsReady, 120000), "attempts: " + ModelWifi.Attempts);
            int retainedAfterAWeek = WifiAdapter.RetainedCount;

            Assert.True(retainedAfterAWeek * WifiAdapter.ApproximateBytes <= WifiAdapter.ApproximateBytes,
                $"{retainedAfterAWeek} adapters (~{retainedAfterAWeek * WifiAdapter.ApproximateBytes / 1024} KB) kept alive after {ModelWifi.Attempts} attempts");
            // At most the attempt in progress when sampled holds an adapter: none piles up from the attempts before.
            Assert.InRange(retainedAfterADay, 0, 1);
            Assert.InRange(retainedAfterAWeek, 0, 1);
            Assert.Equal(1, ModelWifi.CredentialWrites);   // the credentials go to flash once, not per attempt
        }

        [Fact]
        public void WifiConnectsAtTheThirdAttempt_ReportsReadyAndStops()
        {
            ModelWifi.SucceedFromAttempt = 3;
            var wifi = new WifiConnector(20, 0, Rig.NewLog());

            wifi.Start("Farm", "password123");

            Assert.True(Eventually(() => wifi.IsReady));
            Assert.Equal(3, ModelWifi.Attempts);
            Assert.True(ModelSerial.Contains("wifi: connected ssid=Farm attempt=3"));
            Assert.False(ModelSerial.Contains("password123"));
        }
    }
}
