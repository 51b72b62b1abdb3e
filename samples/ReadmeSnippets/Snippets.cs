// The README's C# blocks, compiled. Keep each README block a verbatim copy of a region here (indentation aside).
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TargetProfileUpdate;
using TargetProfileUpdate.Redis;
using TargetProfileUpdate.Testing;

namespace ReadmeSnippets;

public static class QuickStart
{
    public static async Task RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddTargetProfileUpdate(builder.Configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        using var host = builder.Build();

        var client = host.Services.GetRequiredService<IProfileUpdateClient>();
        var update = ProfileUpdate.ForThirdPartyId("crm-1842")          // or ProfileUpdate.ForPcId(tntId)
            .Set("loyaltyTier", "gold")
            .Set("lifetimeValue", 1234.50m)
            .Set("lastStoreVisit", DateTimeOffset.UtcNow);

        ProfileUpdateResult result = await client.UpdateAsync(update);
        Console.WriteLine($"{result.Message} via {result.HttpMethod} in {result.Attempts} attempt(s)");
    }

    public static async Task WithoutDiAsync()
    {
        using var client = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = "acme" });
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1842").Set("loyaltyTier", "gold"));
    }
}

public static class NamedAccounts
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTargetProfileUpdate("retail", configuration.GetSection("Target:Retail"));
        services.AddTargetProfileUpdate("banking", o =>
        {
            o.ClientCode = "acmebank";
            o.AdobeIms.ClientId = configuration["Target:Banking:ImsClientId"];
            o.AdobeIms.ClientSecret = configuration["Target:Banking:ImsClientSecret"];
            o.AdobeIms.Scopes = "openid,AdobeID,target_sdk,additional_info.projectedProductContext,read_organizations,additional_info.roles";
            o.AdobeIms.Tenant = "acmebank";
        });
        services.AddSingleton<LoyaltySync>();
    }
}

public sealed class LoyaltySync(
    [FromKeyedServices("retail")] IProfileUpdateClient retail,
    [FromKeyedServices("banking")] IProfileFetchClient banking)
{
    public async Task CopyTierAsync(string customerId, CancellationToken cancellationToken)
    {
        var profile = await banking.GetProfileAsync(ProfileId.FromThirdPartyId(customerId), cancellationToken);
        if (profile?.Attributes.TryGetValue("tier", out var tier) == true)
        {
            await retail.UpdateAsync(ProfileUpdate.ForThirdPartyId(customerId).Set("bankTier", tier.Value), cancellationToken);
        }
    }
}

public sealed class VaultTokenProvider : IProfileApiTokenProvider
{
    public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) =>
        new(new ProfileApiToken("token-from-your-vault", DateTimeOffset.UtcNow.AddHours(1)));
}

public static class CustomToken
{
    public static void Register(IServiceCollection services)
    {
        services.AddTargetProfileUpdate(o => o.ClientCode = "acme")
            .AddTokenProvider<VaultTokenProvider>();
    }
}

public static class ReadBack
{
    public static async Task<bool> UpdateIfKnownAsync(IProfileFetchClient fetch, IProfileUpdateClient updates, string customerId, string tier)
    {
        var id = ProfileId.FromThirdPartyId(customerId);
        TargetProfile? profile = await fetch.GetProfileAsync(id);
        if (profile is null)
        {
            return false;   // Target has no such profile: a single update would be dropped silently
        }

        Console.WriteLine($"{profile.Attributes.Count} attributes, last modified {profile.ModifiedAt:u}");
        await updates.UpdateAsync(new ProfileUpdate(id).Set("tier", tier));
        return true;
    }
}

public sealed record CrmRow(string CustomerId, string Tier);

public static class ManyUpdates
{
    public static async Task RunAsync(IProfileUpdateClient client, IEnumerable<CrmRow> crmRows, IProgress<ProfileBatchProgress> progress)
    {
        ProfileBatchResult result = await client.UpdateManyAsync(
            crmRows.Select(row => ProfileUpdate.ForThirdPartyId(row.CustomerId).Set("tier", row.Tier)),   // or an IAsyncEnumerable
            new ProfileBatchOptions { MaxConcurrency = 8, Progress = progress });
        // result.Submitted == result.Accepted + result.Failed + result.NotSent, always
        foreach (var failure in result.Failures) { /* failure.Index, failure.ProfileId, failure.Exception */ }
    }
}

public static class Bulk
{
    public static async Task RunAsync(IBulkProfileUpdateClient bulk, IEnumerable<CrmRow> crmRows)
    {
        BulkUploadResult upload = await bulk.UploadAsync(
            crmRows.Select(row => ProfileUpdate.ForThirdPartyId(row.CustomerId).Set("tier", row.Tier)));
        // upload.Submitted == upload.Sent + upload.Rejected; upload.Rejections name each row not sent, and why
        foreach (BulkBatch batch in upload.Batches)
        {
            BulkBatchStatus status = await bulk.WaitForCompletionAsync(batch, pollInterval: TimeSpan.FromMinutes(1));
            Console.WriteLine($"{batch.BatchId}: {status.State}, {status.SuccessfulUpdates} updated, {status.ProfilesNotFound} not found");
        }
    }

    public static async Task ResumeAsync(IBulkProfileUpdateClient bulk, IReadOnlyList<ProfileUpdate> rows)
    {
        try
        {
            await bulk.UploadAsync(rows);
        }
        catch (BulkUploadException ex)
        {
            // Batches before ex.FirstUnacceptedIndex were accepted (ex.PartialResult.Batches); resend from there.
            await bulk.UploadAsync(rows.Skip((int)ex.FirstUnacceptedIndex));
        }
    }
}

public static class ManyInstances
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTargetProfileUpdate(configuration.GetSection(TargetProfileUpdateOptions.SectionName))
            .UseRedisLimits(o => o.ConnectionString = configuration.GetConnectionString("redis"));
    }
}

public static class Observability
{
    public static void Register(HostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("TargetProfileUpdate"))
            .WithMetrics(m => m.AddMeter("TargetProfileUpdate"));
    }
}

public static class Testing
{
    public static async Task RunAsync()
    {
        var fake = new FakeProfileUpdateClient();
        fake.Seed(ProfileId.FromThirdPartyId("crm-2"), new Dictionary<string, string> { ["tier"] = "silver" });

        await ReadBack.UpdateIfKnownAsync(fetch: fake, updates: fake, "crm-2", "gold");   // your code, given the fake

        TargetProfile? profile = await fake.GetProfileAsync(ProfileId.FromThirdPartyId("crm-2"));
        Console.WriteLine(profile!.Attributes["tier"].Value);   // gold
    }
}
