namespace TargetProfileUpdate;

/// <summary>How a visitor profile is identified on the wire.</summary>
public enum ProfileIdKind
{
    /// <summary>Target's own visitor id (the PC id, <c>tntId</c>), sent as <c>mboxPC</c>.</summary>
    PcId = 0,

    /// <summary>Your own customer id, sent as <c>mbox3rdPartyId</c>.</summary>
    ThirdPartyId = 1,
}
