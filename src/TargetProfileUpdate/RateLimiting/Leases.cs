using System;
using System.Collections.Generic;
using System.Threading.RateLimiting;

namespace TargetProfileUpdate.RateLimiting;

/// <summary>The leases of the SDK's own limiters: a shared granted lease, and refusals that say when to retry.</summary>
internal static class Leases
{
    public static RateLimitLease Granted { get; } = new GrantedLease();

    public static RateLimitLease Refused(TimeSpan retryAfter) => new RefusedLease(retryAfter);

    /// <summary>The <c>Retry-After</c> of a refused lease, when it says.</summary>
    public static TimeSpan? RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null;

    private sealed class GrantedLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class RefusedLease(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
