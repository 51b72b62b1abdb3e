using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.RateLimiting;

/// <summary>
/// Spreads HTTP attempts evenly: at most one start every <c>1 / requestsPerSecond</c> seconds. Pacing is queueing,
/// not sending: callers wait their turn one at a time behind a gate, bounded only by their own token (never by an
/// attempt or total timeout, which start after the turn). A caller that gives up leaves the queue and holds no slot,
/// so the next caller takes the turn at once.
/// </summary>
internal sealed class RequestPacer(double requestsPerSecond, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _interval = TimeSpan.FromTicks(Math.Max(1, (long)(TimeSpan.TicksPerSecond / requestsPerSecond)));
    private readonly long _origin = time.GetTimestamp();
    private TimeSpan _nextSlot = TimeSpan.MinValue;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An absolute schedule: each slot is the previous one plus the interval (or now, after an idle spell), so timer
            // granularity and early or late wake-ups never drift the rate; the clock is checked again after every wake-up.
            var now = time.GetElapsedTime(_origin);
            var slot = now > _nextSlot ? now : _nextSlot;
            while (slot - now > TimeSpan.Zero)
            {
                await Task.Delay(slot - now, time, cancellationToken).ConfigureAwait(false);
                now = time.GetElapsedTime(_origin);
            }

            _nextSlot = slot + _interval;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
