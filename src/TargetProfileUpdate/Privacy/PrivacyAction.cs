namespace TargetProfileUpdate;

/// <summary>What a Privacy Service job does for one person.</summary>
public enum PrivacyAction
{
    /// <summary>Exports the person's data (<c>access</c>): the job's result lists it.</summary>
    Access = 0,

    /// <summary>Erases the person's data (<c>delete</c>).</summary>
    Delete = 1,
}
