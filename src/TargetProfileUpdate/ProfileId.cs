using System;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate;

/// <summary>
/// Identifies one Adobe Target visitor profile: either by Target's PC id (<c>mboxPC</c>) or by
/// your own third-party id (<c>mbox3rdPartyId</c>). Compared by kind and value (ordinal).
/// </summary>
/// <remarks>
/// The value is personal data: <see cref="ToString"/> does not reveal it, so an id that ends up
/// in a log line or an exception message by accident stays private. Read <see cref="Value"/>
/// when you need it.
/// </remarks>
public sealed class ProfileId : IEquatable<ProfileId>
{
    private ProfileId(ProfileIdKind kind, string value)
    {
        Kind = kind;
        Value = value;
        ParameterName = kind switch
        {
            ProfileIdKind.PcId => "mboxPC",
            ProfileIdKind.ThirdPartyId => "mbox3rdPartyId",
            _ => "marketingCloudVisitorId",
        };
        EncodedLength = ProfileUpdateEncoder.GetEncodedLength(value);
    }

    /// <summary>Gets how the profile is identified.</summary>
    public ProfileIdKind Kind { get; }

    /// <summary>Gets the id exactly as given (not encoded).</summary>
    public string Value { get; }

    /// <summary>The query parameter that carries the id: <c>mboxPC</c> or <c>mbox3rdPartyId</c>.</summary>
    internal string ParameterName { get; }

    /// <summary>Length of the percent-encoded value.</summary>
    internal int EncodedLength { get; }

    /// <summary>Identifies a profile by Target's PC id (<c>tntId</c>), sent as <c>mboxPC</c>.</summary>
    /// <param name="pcId">The PC id, for example <c>1368007744041-575948.01_00</c>.</param>
    /// <returns>The profile id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pcId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pcId"/> is empty, white space, or not valid UTF-16.</exception>
    public static ProfileId FromPcId(string pcId) => Create(ProfileIdKind.PcId, pcId, nameof(pcId));

    /// <summary>Identifies a profile by your own customer id, sent as <c>mbox3rdPartyId</c>.</summary>
    /// <param name="thirdPartyId">The third-party id, for example a CRM customer number.</param>
    /// <returns>The profile id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="thirdPartyId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="thirdPartyId"/> is empty, white space, or not valid UTF-16.</exception>
    public static ProfileId FromThirdPartyId(string thirdPartyId) => Create(ProfileIdKind.ThirdPartyId, thirdPartyId, nameof(thirdPartyId));

    /// <summary>Identifies a profile by its Experience Cloud visitor id (ECID). Only the Profile Fetch API accepts it;
    /// a <see cref="ProfileUpdate"/> for it throws.</summary>
    /// <param name="ecid">The ECID, for example <c>12345678901234567890123456789012345678</c>.</param>
    /// <returns>The profile id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ecid"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="ecid"/> is empty, white space, or not valid UTF-16.</exception>
    public static ProfileId FromMarketingCloudVisitorId(string ecid) => Create(ProfileIdKind.MarketingCloudVisitorId, ecid, nameof(ecid));

    private static ProfileId Create(ProfileIdKind kind, string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        Utf16Validation.ThrowIfInvalid(value, paramName, "The profile id");
        return new ProfileId(kind, value);
    }

    /// <inheritdoc />
    public bool Equals(ProfileId? other) =>
        other is not null && Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ProfileId);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Value));

    /// <summary>Returns the kind of id only; the value is personal data and is never included.</summary>
    /// <returns><c>mboxPC:***</c>, <c>mbox3rdPartyId:***</c> or <c>marketingCloudVisitorId:***</c>.</returns>
    public override string ToString() => ParameterName + ":***";

    /// <summary>Compares two ids by kind and value.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(ProfileId? left, ProfileId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two ids by kind and value.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(ProfileId? left, ProfileId? right) => !(left == right);
}
