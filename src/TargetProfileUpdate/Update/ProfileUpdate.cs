using System;
using System.Collections.Generic;
using System.Globalization;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate;

/// <summary>
/// One update of one visitor profile: the <see cref="Id"/> and the <c>profile.*</c> attributes to set,
/// sent in the order they were set.
/// </summary>
/// <remarks>
/// <para>Names are case-sensitive (<c>Age</c> and <c>age</c> are two attributes) and are given without the
/// <c>profile.</c> prefix; a name that already starts with <c>profile.</c> is accepted and the prefix is not doubled.</para>
/// <para>Each name may be set once: setting it again throws, because a silent overwrite hides mapping bugs.</para>
/// <para>Every value is validated when it is set, so a bad value fails in your code, not on the wire.
/// An instance is not thread-safe while it is being built; once built it may be sent from any thread.</para>
/// </remarks>
/// <example>
/// <code>
/// var update = ProfileUpdate.ForThirdPartyId("crm-1842")
///     .Set("loyaltyTier", "gold")
///     .Set("lifetimeValue", 1234.50m)
///     .Set("lastContact", DateTimeOffset.UtcNow);
/// </code>
/// </example>
public sealed class ProfileUpdate
{
    private const string ProfilePrefix = "profile.";

    private readonly AttributeList _attributes = new();

    /// <summary>Creates an update for the given profile.</summary>
    /// <param name="id">The profile to update.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is an ECID, which the Single Profile Update API does not accept.</exception>
    public ProfileUpdate(ProfileId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Kind == ProfileIdKind.MarketingCloudVisitorId)
        {
            throw new ArgumentException(
                "The Single Profile Update API cannot address a profile by ECID (marketingCloudVisitorId): use the PC id (mboxPC) or your third-party id (mbox3rdPartyId). Nothing was sent.",
                nameof(id));
        }

        Id = id;
    }

    /// <summary>Gets the profile this update applies to.</summary>
    public ProfileId Id { get; }

    /// <summary>Gets the attributes to set (names without the <c>profile.</c> prefix), in the order they were set.</summary>
    public IReadOnlyDictionary<string, string> Attributes => _attributes;

    /// <summary>The attributes, for the encoder (no interface dispatch, no enumerator allocation).</summary>
    internal AttributeList AttributeList => _attributes;

    /// <summary>Sum over the attributes of <c>&amp;profile.</c> + encoded name + <c>=</c> + encoded value, kept as they are set
    /// (saturating at <see cref="ProfileUpdateEncoder.MaxLength"/>).</summary>
    internal int EncodedAttributesLength { get; private set; }

    /// <summary>Gets or sets (once) the value of an attribute.</summary>
    /// <param name="name">The attribute name, without the <c>profile.</c> prefix.</param>
    /// <returns>The value that was set.</returns>
    /// <exception cref="KeyNotFoundException">Getting a name that was not set.</exception>
    /// <exception cref="ArgumentException">Setting a name that is already set, or an invalid name or value (see <see cref="Set(string, string)"/>).</exception>
    public string this[string name]
    {
        get => _attributes[NormalizeName(name)];
        set => Set(name, value);
    }

    /// <summary>Starts an update for a profile identified by Target's PC id (<c>mboxPC</c>).</summary>
    /// <param name="pcId">The PC id.</param>
    /// <returns>A new, empty update.</returns>
    /// <exception cref="ArgumentException"><paramref name="pcId"/> is null, empty, white space or not valid UTF-16.</exception>
    public static ProfileUpdate ForPcId(string pcId) => new(ProfileId.FromPcId(pcId));

    /// <summary>Starts an update for a profile identified by your own id (<c>mbox3rdPartyId</c>).</summary>
    /// <param name="thirdPartyId">The third-party id.</param>
    /// <returns>A new, empty update.</returns>
    /// <exception cref="ArgumentException"><paramref name="thirdPartyId"/> is null, empty, white space or not valid UTF-16.</exception>
    public static ProfileUpdate ForThirdPartyId(string thirdPartyId) => new(ProfileId.FromThirdPartyId(thirdPartyId));

    /// <summary>Sets a text attribute.</summary>
    /// <param name="name">The attribute name (case-sensitive), without the <c>profile.</c> prefix.</param>
    /// <param name="value">The value; any text, including empty. It is UTF-8 percent-encoded on the wire.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space, the name is already set,
    /// or the name or value contains an unpaired surrogate (invalid UTF-16).</exception>
    public ProfileUpdate Set(string name, string value)
    {
        string key = NormalizeName(name);
        ArgumentNullException.ThrowIfNull(value);
        if (Utf16Validation.IndexOfInvalid(value) >= 0)
        {
            // The message is built only when it is needed: building it on every Set cost ~100 B per attribute.
            Utf16Validation.ThrowIfInvalid(value, nameof(value), "The value of attribute '" + SafeName(key) + "'");
        }

        if (!_attributes.TryAdd(key, value))
        {
            throw new ArgumentException(
                "The attribute '" + SafeName(key) + "' is already set on this update. Each name may be set once (names are case-sensitive).",
                nameof(name));
        }

        // Saturating: an update far over any limit is refused as too large, never wrapped to a negative size.
        int attributeLength = ProfileUpdateEncoder.AddLengths(
            ProfileUpdateEncoder.AttributePrefix.Length + 1 + ProfileUpdateEncoder.GetEncodedLength(key), ProfileUpdateEncoder.GetEncodedLength(value));
        EncodedAttributesLength = ProfileUpdateEncoder.AddLengths(EncodedAttributesLength, attributeLength);
        return this;
    }

    /// <summary>Sets a whole-number attribute, formatted culture-invariantly (for example <c>-42</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid or already set.</exception>
    public ProfileUpdate Set(string name, long value) => Set(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets a floating-point attribute, formatted culture-invariantly and round-trippable (for example <c>1234.5</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value; must be finite.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The name is invalid or already set.</exception>
    public ProfileUpdate Set(string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A profile attribute value must be a finite number; NaN and infinities are not sent.");
        }

        return Set(name, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Sets a decimal attribute, formatted culture-invariantly (for example <c>1234.50</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid or already set.</exception>
    public ProfileUpdate Set(string name, decimal value) => Set(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets a Boolean attribute as <c>true</c> or <c>false</c>.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid or already set.</exception>
    public ProfileUpdate Set(string name, bool value) => Set(name, value ? "true" : "false");

    /// <summary>Sets a date-time attribute in ISO 8601 round-trip form (for example <c>2026-11-23T18:59:37.0000000+00:00</c>).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This update, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid or already set.</exception>
    public ProfileUpdate Set(string name, DateTimeOffset value) => Set(name, value.ToString("O", CultureInfo.InvariantCulture));

    private static string NormalizeName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string key = name.StartsWith(ProfilePrefix, StringComparison.Ordinal) ? name[ProfilePrefix.Length..] : name;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("An attribute name must not be empty after its 'profile.' prefix.", nameof(name));
        }

        Utf16Validation.ThrowIfInvalid(key, nameof(name), "The attribute name");
        return key;
    }

    // Attribute names are schema, not personal data, but keep messages bounded.
    private static string SafeName(string key) => key.Length <= 64 ? key : string.Concat(key.AsSpan(0, 64), "…");
}
