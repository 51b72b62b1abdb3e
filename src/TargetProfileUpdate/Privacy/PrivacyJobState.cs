namespace TargetProfileUpdate;

/// <summary>Where a Privacy Service job stands (its <c>status</c>).</summary>
public enum PrivacyJobState
{
    /// <summary>A status this SDK does not know; the raw text is in <see cref="PrivacyJobStatus.StatusText"/>.</summary>
    Unknown = 0,

    /// <summary><c>submitted</c>: accepted, not yet processed.</summary>
    Submitted = 1,

    /// <summary><c>processing</c>: at least one product is still working.</summary>
    Processing = 2,

    /// <summary><c>complete</c>: every product answered (see <see cref="PrivacyJobStatus.TargetOutcome"/> for Target's answer).</summary>
    Complete = 3,

    /// <summary><c>error</c>: the job failed.</summary>
    Error = 4,
}
