using TargetProfileUpdate;

namespace ReadmeSnippets;

[ProfileAttributes]
public partial class Customer
{
    public string? LoyaltyTier { get; set; }                        // "loyaltyTier"
    [ProfileAttribute("ltv")] public decimal? LifetimeValue { get; set; }
    public DateTimeOffset? LastContact { get; set; }
}

public static class CustomerSync
{
    public static async Task<Customer?> SyncAsync(IProfileUpdateClient updates, IProfileFetchClient profiles, CancellationToken cancellationToken)
    {
        var id = ProfileId.FromThirdPartyId("crm-1842");
        var customer = new Customer { LoyaltyTier = "gold", LifetimeValue = 1234.50m };
        await updates.UpdateAsync(customer.ToUpdate(id), cancellationToken);   // only the non-null properties

        TargetProfile? profile = await profiles.GetProfileAsync(id, cancellationToken);
        return profile is null ? null : Customer.FromProfile(profile);
    }
}
