using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// A rolling-window <see cref="RateLimiter"/> whose count lives in Redis, so every process using the same key shares
/// one limit exactly. One round trip (one <see cref="RollingWindowScript"/> call) per acquisition; no queue: a permit
/// that does not fit now is refused with <see cref="MetadataName.RetryAfter"/>. Thread-safe.
/// </summary>
internal sealed class RedisWindowRateLimiter : RateLimiter
{
    private readonly RedisLimitBackend _backend;
    private readonly RedisKey[] _keys;
    private readonly RedisValue[] _onePermit;
    private readonly int _limit;
    private readonly long _bucketMilliseconds;
    private readonly long _buckets;
    private readonly TimeSpan _bucket;
    private readonly RateLimiter? _local;
    private readonly KeyValuePair<string, object?> _limiterTag;
    private readonly string _exhaustedReason;
    private long _successful;
    private long _failed;
    private long _lastCount;

    public RedisWindowRateLimiter(RedisLimitBackend backend, string key, string limiterName, int limit, Window window, double localFraction)
    {
        _backend = backend;
        _keys = [key];
        _limit = limit;
        _bucketMilliseconds = window.BucketMilliseconds;
        _bucket = TimeSpan.FromMilliseconds(window.BucketMilliseconds);
        _buckets = window.Buckets;
        _onePermit = Arguments(1);
        _limiterTag = new("limiter", limiterName);
        _exhaustedReason = string.Create(CultureInfo.InvariantCulture, $"The account's {limiterName} limit of {limit} per {window.Length} is used up across all instances.");
        LocalLimit = Math.Max(1, (int)Math.Floor(limit * localFraction));
        if (backend.Behavior == RedisUnavailableBehavior.FailOpenWithLocalLimit)
        {
            _local = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = LocalLimit,
                Window = window.Length,
                SegmentsPerWindow = (int)Math.Min(_buckets, 1440),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Gets the limit each process keeps to on its own while Redis is unavailable (fail open).</summary>
    public int LocalLimit { get; }

    /// <summary>Gets the Redis key holding this limiter's buckets.</summary>
    public string Key => _keys[0].ToString();

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = Math.Max(0, _limit - Interlocked.Read(ref _lastCount)),
        CurrentQueuedCount = 0,
        TotalFailedLeases = Interlocked.Read(ref _failed),
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
    };

    /// <summary>
    /// Synchronous acquisition blocks the caller for one Redis round trip (at most the operation timeout).
    /// Prefer <see cref="RateLimiter.AcquireAsync"/>, which the SDK uses.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        AcquireAsyncCore(permitCount, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount > _limit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, string.Create(CultureInfo.InvariantCulture, $"Cannot acquire {permitCount} permits at once: the limit is {_limit}."));
        }

        cancellationToken.ThrowIfCancellationRequested();
        RateLimitLease lease = await DecideAsync(permitCount, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref lease.IsAcquired ? ref _successful : ref _failed);
        return lease;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local?.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private async ValueTask<RateLimitLease> DecideAsync(int permitCount, CancellationToken cancellationToken)
    {
        if (_backend.ShouldTry(out bool isProbe))
        {
            RedisResult result;
            try
            {
                result = await _backend.EvaluateAsync(_keys, permitCount == 1 ? _onePermit : Arguments(permitCount), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisMisconfiguration.Describe(ex, Key) is { } problem)
            {
                // Redis answered, but this application cannot use it as configured: that is neither an outage (no fallback,
                // no "unavailable") nor a rate limit (no refused lease). The caller gets an error that says what to fix.
                if (isProbe)
                {
                    _backend.ReleaseProbe();
                }

                if (problem.Kind == RedisMisconfiguration.Problem.Authentication)
                {
                    _backend.RecordAuthenticationFailure();
                }

                _backend.Misconfigured(problem);
                throw new InvalidOperationException(problem.Message);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis may still have counted the permit (a timeout does not undo the script): the count errs high, never low.
                _backend.Failed(isProbe, ex);
                return DecideWithoutRedis(permitCount);
            }
            catch when (isProbe)
            {
                // Canceled: the probe decided nothing about Redis; let the next caller probe.
                _backend.ReleaseProbe();
                throw;
            }

            _backend.Succeeded(isProbe);
            var reply = (RedisResult[])result!;
            Interlocked.Exchange(ref _lastCount, (long)reply[2]);
            return (long)reply[0] == 1
                ? WindowLease.Granted
                : WindowLease.Refused(TimeSpan.FromMilliseconds((long)reply[1]), _exhaustedReason);
        }

        return DecideWithoutRedis(permitCount);
    }

    private WindowLease DecideWithoutRedis(int permitCount)
    {
        // Redis refused the credentials (seen on the connection itself): not an outage to fall back from, nor a rate limit.
        if (_backend.AuthenticationFailure is { } problem)
        {
            _backend.Misconfigured(problem);
            throw new InvalidOperationException(problem.Message);
        }

        if (_local is null)
        {
            _backend.Telemetry.UnsharedDecisions.Add(1, _limiterTag, new("decision", "refused_closed"));
            return WindowLease.Refused(_backend.RetryInterval, "Redis is unavailable and the shared account limits fail closed: nothing was sent.");
        }

        using RateLimitLease? local = permitCount <= LocalLimit ? _local.AttemptAcquire(permitCount) : null;
        if (local is { IsAcquired: true })
        {
            _backend.Telemetry.UnsharedDecisions.Add(1, _limiterTag, new("decision", "local_granted"));
            return WindowLease.Granted;
        }

        _backend.Telemetry.UnsharedDecisions.Add(1, _limiterTag, new("decision", "local_refused"));
        TimeSpan retryAfter = local is not null && local.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan localRetryAfter) && localRetryAfter > TimeSpan.Zero
            ? localRetryAfter
            : _bucket;
        return WindowLease.Refused(retryAfter, "Redis is unavailable and this instance's local share of the account limit is used up.");
    }

    private RedisValue[] Arguments(int permits) => [_limit, permits, _bucketMilliseconds, _buckets];
}
