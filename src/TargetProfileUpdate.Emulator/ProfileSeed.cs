using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator;

/// <summary>A profile that exists before any update: identified by a PC id, a third-party id, or both.</summary>
public sealed class ProfileSeed
{
    /// <summary>Gets or sets Target's PC id (<c>tntId</c>); generated when only a third-party id is given.</summary>
    public string? PcId { get; set; }

    /// <summary>Gets or sets your third-party id (<c>mbox3rdPartyId</c>).</summary>
    public string? ThirdPartyId { get; set; }

    /// <summary>Gets or sets the Experience Cloud visitor id (ECID), for profile fetch by <c>marketingCloudVisitorId</c>.</summary>
    public string? MarketingCloudVisitorId { get; set; }

    /// <summary>Gets the initial attribute values.</summary>
    public IDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
