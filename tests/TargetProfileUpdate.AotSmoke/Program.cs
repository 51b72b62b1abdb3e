using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate;
using TargetProfileUpdate.Testing;

// Native AOT smoke test: DI registration from configuration, one real update, a fetch (source-generated JSON) and a
// bulk upload (XML answer) against the emulator given as the first argument, and the testing package's fake — all in a
// trimmed, ahead-of-time compiled binary.
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["TargetProfileUpdate:ClientCode"] = "demo",
    ["TargetProfileUpdate:BaseAddress"] = args[0],
    ["TargetProfileUpdate:Resilience:MaxRetryAttempts"] = "2",
}).Build();

var services = new ServiceCollection();
services.AddLogging();
services.AddTargetProfileUpdate(configuration.GetSection(TargetProfileUpdateOptions.SectionName));
using var provider = services.BuildServiceProvider();

var result = await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(
    ProfileUpdate.ForThirdPartyId("crm-aot").Set("compiled", "native").Set("ünïcode", "Zürich 東京"));
Console.WriteLine($"AOT {result.HttpMethod} {result.Message}");

var profile = await provider.GetRequiredService<IProfileFetchClient>().GetProfileAsync(ProfileId.FromThirdPartyId("crm-aot"));
Console.WriteLine($"FETCH {profile?.Attributes["compiled"].Value}");

var upload = await provider.GetRequiredService<IBulkProfileUpdateClient>().UploadAsync(
    [ProfileUpdate.ForThirdPartyId("crm-aot-bulk").Set("compiled", "bulk")]);
Console.WriteLine($"BULK {upload.Sent} {upload.Batches.Count}");

// A typed schema: ToUpdate and FromProfile are generated at compile time (no reflection).
var schemaResult = await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(
    new AotCustomer { LoyaltyTier = "gold", LifetimeValue = 1234.50m, Visits = 3, Tier = AotTier.Gold, LastSeen = DateTimeOffset.UnixEpoch }
        .ToUpdate(ProfileId.FromThirdPartyId("crm-aot")));
var read = AotCustomer.FromProfile((await provider.GetRequiredService<IProfileFetchClient>().GetProfileAsync(ProfileId.FromThirdPartyId("crm-aot")))!);
Console.WriteLine($"SCHEMA {schemaResult.HttpMethod} {read.LoyaltyTier} {read.Visits} {read.Tier}");

var fake = new FakeProfileUpdateClient();
await fake.UpdateAsync(ProfileUpdate.ForPcId("pc-1").Set("a", 1));
Console.WriteLine($"FAKE {fake.Updates.Count}");
return 0;
