using System;
using System.Diagnostics;
using System.Threading;
using Irrigation.Firmware.Tests.Models;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Irrigation.Firmware.Tests
{
    /// <summary>
    /// Base of every test on the models: each test runs on its own model board, switched on here and off in
    /// <see cref="Dispose"/>, so a thread one test started can never touch the next test's board
    /// (<see cref="ModelBoard"/>). Create model objects in the derived constructor's body, not in field
    /// initializers: those run before this constructor, when the test has no board yet.
    /// </summary>
    public abstract class ModelTest : IDisposable
    {
        protected ModelTest()
        {
            ModelBoard.PowerOn();
        }

        public virtual void Dispose()
        {
            ModelBoard.PowerOff();
        }

        /// <summary>
        /// Polls <paramref name="condition"/> every 5 ms for up to <paramref name="timeoutMs"/>: an upper bound for a
        /// loaded 2-core machine, not a measurement (a passing condition returns at once).
        /// </summary>
        protected static bool Eventually(Func<bool> condition, int timeoutMs = 15000)
        {
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < timeoutMs)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(5);
            }

            return condition();
        }
    }
}
