using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using TargetProfileUpdate.RateLimiting;

namespace TargetProfileUpdate;

/// <summary>
/// A per-process rolling-window quota: at most <c>permitLimit</c> permits in any <c>window</c>. The window is
/// kept as a ring of segments (1,440 by default: one minute for 24 hours), so memory stays constant whatever
/// the limit; a permit counts until its whole segment has left the window, so the guard never lets more
/// through than the limit (it may refuse up to one segment early). Thread-safe. It never queues: a refused lease
/// carries <see cref="MetadataName.RetryAfter"/>, the time until enough of the window has expired.
/// </summary>
/// <remarks>
/// It is a <see cref="RateLimiter"/>, the ecosystem's extension point: the client takes one permit per HTTP attempt
/// with <see cref="RateLimiter.AcquireAsync(int, CancellationToken)"/>. Plug in another (for example the Redis one of
/// <c>TargetProfileUpdate.Redis</c>) with <c>TargetProfileUpdateBuilder.UseQuota</c>.
/// </remarks>
internal sealed class SlidingWindowQuota : RateLimiter
{
    private readonly object _gate = new();
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly long _segmentTicks;
    private readonly long _origin;
    private readonly int[] _counts;
    private readonly long[] _segments;
    private int _total;
    private long _expiredThrough = -1;

    /// <summary>Creates the quota.</summary>
    /// <param name="permitLimit">Permits per window (Adobe's is 1,000,000 per 24 hours).</param>
    /// <param name="window">The rolling window.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    /// <param name="segments">How finely the window is tracked (1 to 100,000). Default: 1,440.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not positive, or <paramref name="segments"/> is too large.</exception>
    public SlidingWindowQuota(int permitLimit, TimeSpan window, TimeProvider? timeProvider = null, int segments = 1440)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segments);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segments, 100_000);
        _limit = permitLimit;
        _time = timeProvider ?? TimeProvider.System;
        _segmentTicks = Math.Max(1, window.Ticks / segments);
        _origin = _time.GetTimestamp();
        _counts = new int[segments + 1];
        _segments = new long[segments + 1];
        Array.Fill(_segments, -1);
    }

    /// <summary>Gets how many permits the window holds now.</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                Expire(CurrentSegment());
                return _total;
            }
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => null;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Expire(CurrentSegment());
            return new RateLimiterStatistics { CurrentAvailablePermits = _limit - _total, CurrentQueuedCount = 0 };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Acquire(permitCount);

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<RateLimitLease>(cancellationToken) : new(Acquire(permitCount));

    private RateLimitLease Acquire(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        lock (_gate)
        {
            long now = CurrentSegment();
            Expire(now);
            if (permitCount == 0)
            {
                return _total < _limit ? Leases.Granted : Leases.Refused(TimeSpan.FromTicks(_segmentTicks));
            }

            if (_total + permitCount <= _limit)
            {
                int slot = (int)(now % _counts.Length);
                _segments[slot] = now;
                _counts[slot] += permitCount;
                _total += permitCount;
                return Leases.Granted;
            }

            // The oldest segment still counted leaves the window when the current one is that many segments later.
            long oldest = now;
            foreach (long segment in _segments)
            {
                if (segment >= 0 && segment < oldest)
                {
                    oldest = segment;
                }
            }

            long leavesAtTicks = (oldest + _counts.Length) * _segmentTicks;
            long elapsedTicks = _time.GetElapsedTime(_origin).Ticks;
            return Leases.Refused(TimeSpan.FromTicks(Math.Max(1, leavesAtTicks - elapsedTicks)));
        }
    }

    private long CurrentSegment() => _time.GetElapsedTime(_origin).Ticks / _segmentTicks;

    /// <summary>Drops the segments that have left the window; touches only segments not dropped before.</summary>
    private void Expire(long now)
    {
        long through = now - _counts.Length;
        if (through <= _expiredThrough)
        {
            return;
        }

        if (through - _expiredThrough >= _counts.Length)
        {
            for (int slot = 0; slot < _segments.Length; slot++)
            {
                if (_segments[slot] >= 0 && _segments[slot] <= through)
                {
                    Drop(slot);
                }
            }
        }
        else
        {
            for (long segment = _expiredThrough + 1; segment <= through; segment++)
            {
                int slot = (int)(segment % _counts.Length);
                if (_segments[slot] == segment)
                {
                    Drop(slot);
                }
            }
        }

        _expiredThrough = through;
    }

    private void Drop(int slot)
    {
        _total -= _counts[slot];
        _counts[slot] = 0;
        _segments[slot] = -1;
    }
}
