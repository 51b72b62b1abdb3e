using System;

namespace TargetProfileUpdate;

// CA1711: the name is the public contract (an attribute of a profile, not a .NET attribute type).
#pragma warning disable CA1711

/// <summary>One attribute of a fetched profile: its value (always a string) and when it was last modified.</summary>
public sealed class ProfileAttribute
{
    /// <summary>Creates an attribute (for tests of your own code).</summary>
    /// <param name="value">The value.</param>
    /// <param name="modifiedAt">When it was last modified, when known.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public ProfileAttribute(string value, DateTimeOffset? modifiedAt = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        ModifiedAt = modifiedAt;
    }

    /// <summary>Gets the value. Personal data: never log it.</summary>
    public string Value { get; }

    /// <summary>Gets when the attribute was last modified, when the answer said.</summary>
    public DateTimeOffset? ModifiedAt { get; }

    /// <summary>Describes the attribute without its value.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => "ProfileAttribute(***, modified " + (ModifiedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown") + ")";
}

#pragma warning restore CA1711
