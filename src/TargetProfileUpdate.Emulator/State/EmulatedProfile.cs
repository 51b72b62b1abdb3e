using System;
using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator;

/// <summary>A snapshot of one emulated profile, with the attributes visible to profile fetch now.</summary>
/// <param name="PcId">Target's PC id (<c>tntId</c>).</param>
/// <param name="ThirdPartyId">The third-party id, if the profile has one.</param>
/// <param name="ModifiedAt">When a visible attribute last changed (or the profile was created).</param>
/// <param name="Attributes">The visible attributes by name.</param>
/// <param name="PendingUpdates">Accepted attribute writes not yet visible (see <see cref="TargetEmulatorOptions.PropagationDelay"/>).</param>
public sealed record EmulatedProfile(
    string PcId,
    string? ThirdPartyId,
    DateTimeOffset ModifiedAt,
    IReadOnlyDictionary<string, EmulatedAttributeValue> Attributes,
    int PendingUpdates)
{
    /// <summary>Gets the Experience Cloud visitor id (ECID), if the profile has one.</summary>
    public string? MarketingCloudVisitorId { get; init; }
}

/// <summary>One attribute value of an emulated profile.</summary>
/// <param name="Value">The value, always a string.</param>
/// <param name="ModifiedAt">When it was written.</param>
public sealed record EmulatedAttributeValue(string Value, DateTimeOffset ModifiedAt);
