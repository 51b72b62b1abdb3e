namespace TargetProfileUpdate;

/// <summary>What the profile holds for one attribute of a verified update.</summary>
public enum AttributeVerification
{
    /// <summary>The profile holds the value the update set.</summary>
    Landed = 0,

    /// <summary>The profile does not hold it: the attribute is absent, or holds another value not newer than the send
    /// (not applied yet, or dropped).</summary>
    Missing = 1,

    /// <summary>The profile holds another value written after the send: another writer superseded it.</summary>
    Superseded = 2,
}
