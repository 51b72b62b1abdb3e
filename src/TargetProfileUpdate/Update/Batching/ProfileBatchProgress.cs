namespace TargetProfileUpdate;

/// <summary>Progress of a batch: how many updates were taken from the source and how they ended so far.</summary>
/// <param name="Submitted">Updates taken from the source.</param>
/// <param name="Accepted">Updates accepted by Adobe Target.</param>
/// <param name="Failed">Updates that failed.</param>
public sealed record ProfileBatchProgress(long Submitted, long Accepted, long Failed);
