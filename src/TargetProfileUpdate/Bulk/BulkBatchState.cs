namespace TargetProfileUpdate;

/// <summary>The processing state of a submitted bulk batch, as its status URL reports it.</summary>
public enum BulkBatchState
{
    /// <summary>The server reported a state this SDK does not know (or none); poll again later.</summary>
    Unknown = 0,

    /// <summary><c>incomplete</c>: the batch is still being processed.</summary>
    Incomplete = 1,

    /// <summary><c>complete</c>: processing finished (see the counts for how many rows were applied).</summary>
    Complete = 2,

    /// <summary><c>stuck</c>: the batch could not complete. Resubmitting its rows is the caller's decision.</summary>
    Stuck = 3,
}
