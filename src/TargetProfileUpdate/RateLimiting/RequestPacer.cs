using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.RateLimiting;

/// <summary>
/// Spreads requests evenly: at most one start every <c>1 / requestsPerSecond</c> seconds, waiting (not failing)
/// for the next slot. For callers who want a nightly sync spread over the day rather than in a burst.
/// </summary>
internal sealed class RequestPacer(double requestsPerSecond, TimeProvider time)
{
    private readonly long _intervalTicks = (long)(TimeSpan.TicksPerSecond / requestsPerSecond);
    private readonly long _origin = time.GetTimestamp();
    private long _nextSlotTicks;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        long now = time.GetElapsedTime(_origin).Ticks;
        long slot;
        long observed = Volatile.Read(ref _nextSlotTicks);
        while (true)
        {
            slot = Math.Max(now, observed);
            long seen = Interlocked.CompareExchange(ref _nextSlotTicks, slot + _intervalTicks, observed);
            if (seen == observed)
            {
                break;
            }

            observed = seen;
        }

        long wait = slot - now;
        return wait <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromTicks(wait), time, cancellationToken);
    }
}
