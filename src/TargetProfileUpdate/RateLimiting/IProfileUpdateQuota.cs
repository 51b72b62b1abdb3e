using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Guards the account's update quota (Adobe allows 1,000,000 updates per rolling 24 hours per account):
/// the client takes one permit before every HTTP attempt, retries included, and fails fast with
/// <see cref="ProfileUpdateRateLimitedException"/> when none is left, sending nothing.
/// </summary>
/// <remarks>
/// The default, <see cref="SlidingWindowQuota"/>, counts in this process only. A service with many
/// instances sharing one account should register its own shared implementation (for example over Redis)
/// as a singleton <see cref="IProfileUpdateQuota"/>; the client then uses it.
/// </remarks>
public interface IProfileUpdateQuota
{
    /// <summary>Takes one permit, or says how long until one returns.</summary>
    /// <param name="cancellationToken">Cancels the wait for a shared store, if any.</param>
    /// <returns>The decision.</returns>
    ValueTask<QuotaPermit> TryAcquireAsync(CancellationToken cancellationToken = default);
}

/// <summary>The answer of an <see cref="IProfileUpdateQuota"/>: granted, or refused until <see cref="RetryAfter"/> has passed.</summary>
/// <param name="IsGranted">Whether a permit was taken.</param>
/// <param name="RetryAfter">When refused, how long until a permit returns; zero when granted.</param>
public readonly record struct QuotaPermit(bool IsGranted, TimeSpan RetryAfter)
{
    /// <summary>Gets a granted permit.</summary>
    public static QuotaPermit Granted => new(true, TimeSpan.Zero);

    /// <summary>Creates a refusal.</summary>
    /// <param name="retryAfter">How long until a permit returns.</param>
    /// <returns>The refusal.</returns>
    public static QuotaPermit Refused(TimeSpan retryAfter) => new(false, retryAfter);
}
