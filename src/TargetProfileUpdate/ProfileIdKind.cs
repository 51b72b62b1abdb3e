namespace TargetProfileUpdate;

/// <summary>How a visitor profile is identified on the wire.</summary>
public enum ProfileIdKind
{
    /// <summary>Target's own visitor id (the PC id, <c>tntId</c>), sent as <c>mboxPC</c>.</summary>
    PcId = 0,

    /// <summary>Your own customer id, sent as <c>mbox3rdPartyId</c>.</summary>
    ThirdPartyId = 1,

    /// <summary>The Experience Cloud visitor id (ECID, <c>marketingCloudVisitorId</c>). Accepted by the Profile Fetch API
    /// only: the Single Profile Update API and bulk files cannot address a profile by ECID.</summary>
    MarketingCloudVisitorId = 2,
}
