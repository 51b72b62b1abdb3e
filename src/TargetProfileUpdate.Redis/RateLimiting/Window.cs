using System;
using System.Globalization;

namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// A rolling window as Redis counts it: whole-millisecond buckets, enough of them to cover the window (the last may reach
/// past it, so a permit counts a little longer, never shorter), at most 10,000.
/// </summary>
internal readonly record struct Window(TimeSpan Length, long BucketMilliseconds, long Buckets)
{
    public const int MaxBuckets = 10_000;

    /// <summary>The default number of buckets per window when none is set: the in-process quota's 1,440 segments.</summary>
    public const int DefaultBuckets = 1440;

    /// <exception cref="ArgumentException">The window is not positive, or needs more than 10,000 buckets of <paramref name="bucket"/>.</exception>
    public static Window Of(TimeSpan window, TimeSpan? bucket, string windowName, string bucketName)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentException(windowName + " must be positive.", bucketName);
        }

        long windowMs = (long)Math.Ceiling(window.TotalMilliseconds);
        long bucketMs = bucket is { } b
            ? Math.Max(1, (long)Math.Ceiling(b.TotalMilliseconds))
            : Math.Max(1, (windowMs + DefaultBuckets - 1) / DefaultBuckets);
        long buckets = (windowMs + bucketMs - 1) / bucketMs;
        if (buckets > MaxBuckets)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{windowName} ({window}) holds {buckets} buckets of {nameof(RedisLimitOptions)}.{bucketName} ({TimeSpan.FromMilliseconds(bucketMs)}); at most {MaxBuckets} are allowed: set a larger bucket."),
                bucketName);
        }

        return new Window(window, bucketMs, buckets);
    }
}
