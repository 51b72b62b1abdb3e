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
    private long _lastStart = long.MinValue;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastStart != long.MinValue)
            {
                var wait = _interval - time.GetElapsedTime(_lastStart);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }

            _lastStart = time.GetTimestamp();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
