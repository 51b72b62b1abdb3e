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
}
