namespace TargetProfileUpdate;

/// <summary>What Adobe Target answered to a Privacy Service job (its <c>productStatusResponse</c>).</summary>
public enum PrivacyTargetOutcome
{
    /// <summary>Target has not answered yet.</summary>
    Pending = 0,

    /// <summary>Target processed the job: for a deletion, the profile was erased; for an access job, its data is in the result.</summary>
    Complete = 1,

    /// <summary>Target has no profile for the ids ("user context not found"): nothing to erase or export. Not an error.</summary>
    NotFound = 2,

    /// <summary>The organization is not mapped to Target ("company context not applicable"): check the IMS org id and the Target provisioning.</summary>
    NotApplicable = 3,

    /// <summary>Target answered with an error; its message is in <see cref="PrivacyJobStatus.TargetMessage"/>.</summary>
    Error = 4,
}
