using System;

namespace TargetProfileUpdate;

/// <summary>A profile API token and when it expires. <see cref="ToString"/> never shows the value.</summary>
public readonly struct ProfileApiToken : IEquatable<ProfileApiToken>
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token, or <see langword="null"/> for none.</param>
    /// <param name="expiresOn">When it expires, when known.</param>
    public ProfileApiToken(string? value, DateTimeOffset? expiresOn = null)
    {
        Value = value;
        ExpiresOn = expiresOn;
    }

    /// <summary>Gets "no token": requests carry no <c>Authorization</c> header.</summary>
    public static ProfileApiToken None => default;

    /// <summary>Gets the token value, or <see langword="null"/> for none. A secret: never log it.</summary>
    public string? Value { get; }

    /// <summary>Gets when the token expires, when known.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>Describes the token without its value.</summary>
    /// <returns><c>ProfileApiToken(***, expires …)</c> or <c>ProfileApiToken(none)</c>.</returns>
    public override string ToString() => Value is null
        ? "ProfileApiToken(none)"
        : "ProfileApiToken(***" + (ExpiresOn is { } e ? ", expires " + e.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : string.Empty) + ")";

    /// <inheritdoc />
    public bool Equals(ProfileApiToken other) => string.Equals(Value, other.Value, StringComparison.Ordinal) && ExpiresOn == other.ExpiresOn;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProfileApiToken other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value), ExpiresOn);

    /// <summary>Compares two tokens.</summary>
    /// <param name="left">The first token.</param>
    /// <param name="right">The second token.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(ProfileApiToken left, ProfileApiToken right) => left.Equals(right);

    /// <summary>Compares two tokens.</summary>
    /// <param name="left">The first token.</param>
    /// <param name="right">The second token.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ProfileApiToken left, ProfileApiToken right) => !left.Equals(right);
}
