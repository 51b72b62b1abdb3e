using System;
using System.Collections.Generic;
using System.Threading.RateLimiting;

namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// A lease of a rolling-window limiter. Disposing it returns nothing: a permit counts until its bucket leaves the
/// window. A refusal carries <see cref="MetadataName.RetryAfter"/> and <see cref="MetadataName.ReasonPhrase"/>.
/// </summary>
internal sealed class WindowLease : RateLimitLease
{
    public static readonly WindowLease Granted = new(true, null, null);

    private static readonly string[] RefusedNames = [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    private readonly TimeSpan? _retryAfter;
    private readonly string? _reason;

    private WindowLease(bool isAcquired, TimeSpan? retryAfter, string? reason)
    {
        IsAcquired = isAcquired;
        _retryAfter = retryAfter;
        _reason = reason;
    }

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : RefusedNames;

    /// <summary>A refusal; <paramref name="reason"/> comes from a fixed set and never holds personal data or secrets.</summary>
    public static WindowLease Refused(TimeSpan retryAfter, string reason) => new(false, retryAfter, reason);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (!IsAcquired && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = _retryAfter;
            return true;
        }

        if (!IsAcquired && metadataName == MetadataName.ReasonPhrase.Name)
        {
            metadata = _reason;
            return true;
        }

        metadata = null;
        return false;
    }
}
