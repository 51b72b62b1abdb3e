using System;

namespace TargetProfileUpdate;

/// <summary>
/// Marks a <see langword="partial"/> class, record or struct as a typed profile schema: the source generator shipped in
/// this package turns its public settable properties into profile attributes and adds <c>ToUpdate(ProfileId)</c>,
/// <c>static FromProfile(TargetProfile)</c> and <c>static AttributeNames</c> to it, at compile time (no reflection;
/// trimming- and Native-AOT-safe).
/// </summary>
/// <remarks>
/// <para>A property's attribute name is its name in camelCase (the rule of System.Text.Json's <c>JsonNamingPolicy.CamelCase</c>:
/// <c>LoyaltyTier</c> → <c>loyaltyTier</c>, <c>ID</c> → <c>id</c>, <c>URLPath</c> → <c>urlPath</c>), unless
/// <see cref="ProfileAttributeAttribute"/> gives the exact name.</para>
/// <para>Property types: <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="decimal"/>, <see cref="DateTimeOffset"/>, enums (sent as their member names) and their nullable forms; any other
/// type is a compile-time error (TPU006). The names are checked at compile time against Target's rules (TPU001 to TPU008);
/// docs/profile-contract.md lists them.</para>
/// </remarks>
/// <example>
/// <code>
/// [ProfileAttributes]
/// public partial class Customer
/// {
///     public string? LoyaltyTier { get; set; }            // "loyaltyTier"
///     [ProfileAttribute("ltv")] public decimal? LifetimeValue { get; set; }
/// }
///
/// await client.UpdateAsync(new Customer { LoyaltyTier = "gold" }.ToUpdate(ProfileId.FromThirdPartyId("crm-1842")));
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ProfileAttributesAttribute : Attribute
{
}
