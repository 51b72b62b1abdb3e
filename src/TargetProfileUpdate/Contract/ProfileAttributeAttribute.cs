using System;

namespace TargetProfileUpdate;

/// <summary>
/// Gives the exact profile attribute name of a property of a <see cref="ProfileAttributesAttribute"/> schema, instead of
/// the camelCase of the property's name. The name is case-sensitive and given without the <c>profile.</c> prefix.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ProfileAttributeAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The exact attribute name, as Target stores it (for example <c>loyaltyTier</c>).</param>
    public ProfileAttributeAttribute(string name)
    {
        Name = name;
    }

    /// <summary>Gets the exact attribute name.</summary>
    public string Name { get; }
}
