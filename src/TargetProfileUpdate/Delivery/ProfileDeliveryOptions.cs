using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Delivery assurance of one account, set with <c>TargetProfileUpdateBuilder.UseDeliveryAssurance</c>: what happens to
/// updates for profiles that do not exist yet, and how many accepted updates are read back to check that they landed.
/// </summary>
/// <remarks>
/// <para>Defaults: <see cref="UnknownProfiles"/> <see cref="UnknownProfileHandling.Send"/>; existence answers cached
/// <see cref="ExistenceCacheTtl"/> 1 h, at most <see cref="ExistenceCacheSize"/> 100,000 ids; <see cref="RecheckInterval"/>
/// 15 min; <see cref="GiveUpAfter"/> 24 h; <see cref="MaxPendingUpdates"/> 100,000 (in-memory store);
/// <see cref="VerifySampleRate"/> 0; <see cref="VerifyAfter"/> 1 h; <see cref="MinimumLandingRate"/> 0.95.</para>
/// <para>With <see cref="UnknownProfileHandling.Send"/> and <see cref="VerifySampleRate"/> 0 the account's client is the
/// plain one: the update path is exactly as without delivery assurance.</para>
/// </remarks>
public sealed class ProfileDeliveryOptions
{
    /// <summary>Gets or sets what happens to an update for a profile that does not exist. Default: <see cref="UnknownProfileHandling.Send"/>.</summary>
    public UnknownProfileHandling UnknownProfiles { get; set; } = UnknownProfileHandling.Send;

    /// <summary>Gets or sets how long a positive existence answer is trusted (1 s to 14 days). Default: 1 hour. Only positive
    /// answers are cached; a missing profile is asked again at the next re-check.</summary>
    public TimeSpan ExistenceCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how many ids the existence cache holds at most (16 to 10,000,000). Default: 100,000.</summary>
    public int ExistenceCacheSize { get; set; } = 100_000;

    /// <summary>Gets or sets how often a deferred update's profile is checked again (1 s to 1 day). Default: 15 minutes.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how long after it was deferred an update is given up and handed to <see cref="OnGiveUp"/>
    /// (at least <see cref="RecheckInterval"/>, at most 90 days). Default: 24 hours.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how many updates the in-memory pending store holds (1 to 100,000,000); when full, a deferred
    /// update fails with <see cref="ProfileUpdateException"/> instead of being dropped. Default: 100,000. Other stores have
    /// their own limits.</summary>
    public int MaxPendingUpdates { get; set; } = 100_000;

    /// <summary>Gets or sets how many profile ids the re-check handles at once (1 to 256). Default: 8.</summary>
    public int RecheckConcurrency { get; set; } = 8;

    /// <summary>
    /// Gets or sets where updates go that are given up (after <see cref="GiveUpAfter"/>, or when the send fails for good),
    /// for example a dead-letter table. Each is also logged as a warning (without ids or values) and counted in
    /// <c>target.profile_delivery.gave_up</c>. When the callback throws, the update stays pending and is offered again at
    /// the next re-check. Default: none (the update is only logged and counted).
    /// </summary>
    public Func<UndeliverableProfileUpdate, CancellationToken, Task>? OnGiveUp { get; set; }

    /// <summary>Gets or sets the fraction of accepted updates read back after <see cref="VerifyAfter"/> (0 to 1; every
    /// 1/rate-th update, so 0.1 verifies exactly one in ten). Default: 0 (none).</summary>
    public double VerifySampleRate { get; set; }

    /// <summary>Gets or sets how long after sending a sampled update is read back (1 s to 2 days). Default: 1 hour
    /// (Adobe applies most updates within an hour, some within 24).</summary>
    public TimeSpan VerifyAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the verified landing rate under which the account's health check reports Degraded (0 to 1),
    /// once at least 20 sampled updates were verified. Default: 0.95.</summary>
    public double MinimumLandingRate { get; set; } = 0.95;

    /// <summary>Whether these options need the delivery decorator at all.</summary>
    internal bool IsPassThrough => UnknownProfiles == UnknownProfileHandling.Send && VerifySampleRate == 0;
}
