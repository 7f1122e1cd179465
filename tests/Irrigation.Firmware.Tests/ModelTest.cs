using System;
using System.Diagnostics;
using System.Threading;
using Irrigation.Firmware.Tests.Models;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Irrigation.Firmware.Tests
{
    /// <summary>
    /// Base of every test on the models: the models are static like the board they imitate, so each test starts
    /// from a healthy idle board and leaves none of its hung threads behind.
    /// </summary>
    public abstract class ModelTest : IDisposable
    {
        protected ModelTest()
        {
            ModelBoard.ResetAll();
        }

        public virtual void Dispose()
        {
            ModelBoard.ResetAll();
        }

        /// <summary>Polls <paramref name="condition"/> every 5 ms for up to <paramref name="timeoutMs"/>.</summary>
        protected static bool Eventually(Func<bool> condition, int timeoutMs = 3000)
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
