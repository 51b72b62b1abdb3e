using TargetProfileUpdate;
using TargetProfileUpdate.Testing;

namespace ReadmeSnippets;

public static class TestingYourCode
{
    public static async Task ExampleAsync()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true };   // drops updates to unknown profiles, as Adobe does
        fake.Seed(ProfileId.FromThirdPartyId("crm-2"), new Dictionary<string, string> { ["tier"] = "silver" });

        await fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-2").Set("tier", "gold"));   // your code, given the fake
        await fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-9").Set("tier", "gold"));

        TargetProfile? profile = await fake.GetProfileAsync(ProfileId.FromThirdPartyId("crm-2"));
        Console.WriteLine(profile!.Attributes["tier"].Value);   // gold
        Console.WriteLine(fake.DroppedUpdates.Count);            // 1
    }
}
