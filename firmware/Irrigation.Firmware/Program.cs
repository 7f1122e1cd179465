namespace Irrigation.Firmware
{
    /// <summary>The device application's entry point (composition only).</summary>
    public static class Program
    {
        /// <summary>Boots the controller.</summary>
        public static void Main()
        {
        }
    }
}
