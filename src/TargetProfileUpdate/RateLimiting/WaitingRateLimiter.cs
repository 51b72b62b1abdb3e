using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace TargetProfileUpdate.RateLimiting;

/// <summary>
/// Waits for the next permit of another limiter instead of passing its refusal on: a refused lease's
/// <see cref="MetadataName.RetryAfter"/> is waited out on the account's clock and the permit asked for again. The wait is
/// bounded by the caller's token and by <c>maxWait</c> (the call's own total timeout): a refusal whose <c>RetryAfter</c>
/// would overrun it, or one that says nothing about when to retry, is returned as it is. Used for the bulk and admin
/// limiter (Adobe's 50 calls per minute), where our own guard must pace an upload of more than 50 batches or a
/// once-a-second status poll, never fail it.
/// </summary>
internal sealed class WaitingRateLimiter(RateLimiter inner, TimeSpan maxWait, TimeProvider time) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        while (true)
        {
            RateLimitLease lease = await inner.AcquireAsync(permitCount, cancellationToken).ConfigureAwait(false);
            if (lease.IsAcquired || Leases.RetryAfter(lease) is not { } retryAfter || time.GetElapsedTime(start) + retryAfter > maxWait)
            {
                return lease;
            }

            lease.Dispose();
            await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
