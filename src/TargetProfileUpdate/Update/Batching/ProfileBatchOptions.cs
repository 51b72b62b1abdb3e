using System;

namespace TargetProfileUpdate;

/// <summary>How <see cref="ProfileUpdateClientExtensions.UpdateManyAsync(IProfileUpdateClient, System.Collections.Generic.IEnumerable{ProfileUpdate}, ProfileBatchOptions?, System.Threading.CancellationToken)"/> sends many updates.</summary>
public sealed class ProfileBatchOptions
{
    /// <summary>Gets or sets how many updates are in flight at once (1 to 1,024). Default: 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Gets or sets whether to stop taking updates from the source after the first failure
    /// (updates already in flight finish). Default: <see langword="false"/>: continue and report every failure.</summary>
    public bool StopOnFirstFailure { get; set; }

    /// <summary>Gets or sets where progress is reported, if anywhere.</summary>
    public IProgress<ProfileBatchProgress>? Progress { get; set; }

    /// <summary>Gets or sets how many completed updates pass between two progress reports (at least 1); a final report
    /// always follows the last update. Default: 100.</summary>
    public int ProgressInterval { get; set; } = 100;

    /// <summary>Gets or sets whether an update refused because the account's circuit breaker is open waits for the
    /// breaker's next trial and is tried again, instead of ending as not sent. Default: <see langword="false"/>.</summary>
    /// <remarks>
    /// <para>An update the open breaker refuses was never sent, so it never counts as failed: without this option it is
    /// counted in <see cref="ProfileBatchResult.NotSent"/>. With it, the batch rides out a short outage: every update
    /// waits (for the time the breaker reports it stays open, or half a second when it does not say) and is tried again,
    /// as often as it takes. The wait is bounded only by the batch's <c>CancellationToken</c>: an update still waiting
    /// when it is canceled counts as not sent.</para>
    /// <para>Updates that went on the wire and failed (even when the breaker opened after their attempts) are failures as before.</para>
    /// </remarks>
    public bool WaitWhileCircuitOpen { get; set; }

    /// <summary>Gets or sets the clock the waits of <see cref="WaitWhileCircuitOpen"/> use. Default: <see cref="TimeProvider.System"/>
    /// (give the account's own <see cref="TimeProvider"/> when it has one, for example a fake clock in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
