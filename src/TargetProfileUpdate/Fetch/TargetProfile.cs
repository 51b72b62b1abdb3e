using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>A visitor profile as the Profile Fetch API returned it. Immutable; publicly constructible for tests of your own code.</summary>
public sealed class TargetProfile
{
    /// <summary>Creates a profile.</summary>
    /// <param name="id">The id that was asked for.</param>
    /// <param name="attributes">The attributes by name (copied, compared case-sensitively).</param>
    /// <param name="visitorId">The visitor id the answer gave, if any.</param>
    /// <param name="thirdPartyId">The third-party id the answer gave, if any.</param>
    /// <param name="pcId">The PC id the answer gave, if any.</param>
    /// <param name="modifiedAt">When the profile was last modified, when known.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="attributes"/> is <see langword="null"/>.</exception>
    public TargetProfile(
        ProfileId id,
        IReadOnlyDictionary<string, ProfileAttribute> attributes,
        string? visitorId = null,
        string? thirdPartyId = null,
        string? pcId = null,
        DateTimeOffset? modifiedAt = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(attributes);
        Id = id;
        var copy = new Dictionary<string, ProfileAttribute>(attributes.Count, StringComparer.Ordinal);
        foreach (var (name, attribute) in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            copy[name] = attribute;
        }

        Attributes = copy;
        VisitorId = visitorId;
        ThirdPartyId = thirdPartyId;
        PcId = pcId;
        ModifiedAt = modifiedAt;
    }

    /// <summary>Gets the id that was asked for.</summary>
    public ProfileId Id { get; }

    /// <summary>Gets the visitor id the answer gave (<c>visitorId</c>; when the answer gives it as an object, its <c>tntId</c>), if any.</summary>
    public string? VisitorId { get; }

    /// <summary>Gets the third-party id the answer gave (<c>visitorId.thirdPartyId</c>, or legacy <c>thirdPartyId</c>), if any.</summary>
    public string? ThirdPartyId { get; }

    /// <summary>Gets the PC id the answer gave (<c>visitorId.tntId</c>, or legacy <c>mboxPC</c>), if any.</summary>
    public string? PcId { get; }

    /// <summary>Gets when the profile was last modified, when the answer said.</summary>
    public DateTimeOffset? ModifiedAt { get; }

    /// <summary>Gets the attributes by name (names may contain dots; compared case-sensitively).</summary>
    public IReadOnlyDictionary<string, ProfileAttribute> Attributes { get; }

    /// <summary>Describes the profile without personal data.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => "TargetProfile(" + Id + ", " + Attributes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " attributes)";
}
