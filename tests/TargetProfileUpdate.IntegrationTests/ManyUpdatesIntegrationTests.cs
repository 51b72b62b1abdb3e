using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests;

public sealed class ManyUpdatesIntegrationTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public async Task TenThousandUpdatesWithRandomFaults_EndAcceptedOrReportedFailed_NoneLost()
    {
        var options = new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, MaxRecordedRequests = 100, RandomFaults = new RandomFaultOptions { Probability = 0.1, Seed = 20261123 } };
        options.RandomFaults.Faults.Clear();
        options.RandomFaults.Faults.Add(EmulatorFault.Status(503));
        options.RandomFaults.Faults.Add(EmulatorFault.Status(500));
        options.RandomFaults.Faults.Add(EmulatorFault.Drop());
        await using var emulator = await TargetEmulator.StartAsync(options);
        for (int p = 0; p < 100; p++)
        {
            emulator.SeedProfile(thirdPartyId: "crm-" + p);
        }

        var client = EmulatorClient.Create(emulator, o =>
        {
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(5);
        });
        var updates = Enumerable.Range(0, 10_000).Select(i => ProfileUpdate.ForThirdPartyId("crm-" + (i % 100)).Set("u" + i, i));

        var result = await client.UpdateManyAsync(updates, new ProfileBatchOptions { MaxConcurrency = 16 });

        Assert.Equal(10_000, result.Submitted);
        Assert.Equal(0, result.NotSent);
        Assert.Equal(result.Submitted, result.Accepted + result.Failed);
        Assert.Equal(result.Failed, result.Failures.Count);
        Assert.Equal(result.Accepted, emulator.AppliedUpdates);
        var applied = emulator.GetProfiles().SelectMany(p => p.Attributes.Keys).ToHashSet();
        Assert.Equal(result.Accepted, applied.Count);
        Assert.All(result.Failures, f => Assert.DoesNotContain("u" + f.Index, applied));
        Assert.All(result.Failures, f => Assert.True(((ProfileApiException)f.Exception).IsTransient));
    }

    [Fact]
    public async Task BatchBeyondTheClientQuota_ReportsTheRestAsRateLimitedWithoutSendingThem()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "p");
        var client = EmulatorClient.Create(emulator, o => o.Quota.PermitLimit = 30);

        var result = await client.UpdateManyAsync(Enumerable.Range(0, 50).Select(i => ProfileUpdate.ForThirdPartyId("p").Set("n" + i, i)));

        Assert.Equal(30, result.Accepted);
        Assert.Equal(20, result.Failed);
        Assert.All(result.Failures, f => Assert.IsType<ProfileApiRateLimitedException>(f.Exception));
        Assert.Equal(30, emulator.GetRequests().Count);
    }
}
