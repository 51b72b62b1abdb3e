using TargetProfileUpdate;

/// <summary>A generated profile schema in a Native AOT app: every trim/AOT warning fails the publish.</summary>
[ProfileAttributes]
internal sealed partial class AotCustomer
{
    public string? LoyaltyTier { get; set; }

    public decimal? LifetimeValue { get; set; }

    public int Visits { get; set; }

    public AotTier? Tier { get; set; }

    public DateTimeOffset? LastSeen { get; set; }
}

internal enum AotTier
{
    Silver,
    Gold,
}
