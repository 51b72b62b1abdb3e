namespace TargetProfileUpdate;

/// <summary>The state of one profile in a legacy batch status answer (<c>&lt;profile&gt;&lt;status&gt;…&lt;/status&gt;&lt;/profile&gt;</c>).</summary>
public enum BulkProfileState
{
    /// <summary>The server reported a state this SDK does not know (or none).</summary>
    Unknown = 0,

    /// <summary><c>pending</c>: not processed yet.</summary>
    Pending = 1,

    /// <summary><c>success</c>: the profile was updated.</summary>
    Success = 2,

    /// <summary><c>error</c>: the profile was not updated.</summary>
    Error = 3,
}
