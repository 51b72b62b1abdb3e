using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TargetProfileUpdate.SamplesTests;

/// <summary>Each sample runs against the emulator and its output is checked: a sample that rots fails the build.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task QuickStart_OnTheEmbeddedEmulator_PrintsTheTableAndExitsZero()
    {
        var output = new StringWriter();

        int exitCode = await QuickStart.Program.RunAsync(output, _ => null);

        string text = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("Using the embedded Target emulator", text, StringComparison.Ordinal);
        Assert.Matches(@"small\s+GET\s+1\s+\d+\s+Request successfully submitted", text);
        Assert.Matches(@"large\s+POST\s+1\s+\d+\s+Request successfully submitted", text);
        Assert.Contains("value read back", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Target has no profile", text, StringComparison.Ordinal);
        Assert.DoesNotContain("The call failed", text, StringComparison.Ordinal);
        Assert.Matches(@"loyaltyTier\s+gold", text);
        Assert.Matches(@"lifetimeValue\s+1234\.50", text);
        Assert.Matches(@"lastStore\s+Zürich Hauptbahnhof", text);
        Assert.Matches(@"callCentreNotes\s+.*\(9600 chars\)", text);
    }

    [Fact]
    public async Task WorkerService_DrainsItsChannelIntoTheEmulator()
    {
        await using var app = await WorkerService.Program.StartAsync([]);
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        await app.Host.WaitForShutdownAsync(bound.Token);

        var worker = app.Host.Services.GetRequiredService<WorkerService.ProfileUpdateWorker>();
        Assert.Equal(6, worker.Accepted);
        Assert.Equal(0, worker.Failed);
        Assert.Equal(0, worker.Skipped);
        Assert.Equal(6, app.Emulator!.AppliedUpdates);

        // The worker checked each of the three customers once through the Profile Fetch API before updating them.
        var fetches = app.Emulator.GetRequests().Where(r => r.Path.StartsWith("/rest/v1/profiles/thirdPartyId/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["crm-1001", "crm-1002", "crm-1003"], fetches.Select(r => r.Path["/rest/v1/profiles/thirdPartyId/".Length..]).Order(StringComparer.Ordinal));
        Assert.All(fetches, r => Assert.Equal(200, r.StatusCode));
        var profile = app.Emulator.FindByThirdPartyId("crm-1001")!;
        Assert.Equal("call-centre", profile.Attributes["lastContactChannel"].Value);
        Assert.Equal("Store 103", profile.Attributes["lastStore"].Value);
        Assert.Equal("31.5", profile.Attributes["lastBasketValue"].Value);
    }

    [Fact]
    public void ProfileMapper_MapsALoyaltyScanCultureInvariantly()
    {
        var update = WorkerService.ProfileMapper.ToUpdate(new WorkerService.LoyaltyCardScan("crm-1", "Store 7", 12.5m, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));

        Assert.Equal(ProfileId.FromThirdPartyId("crm-1"), update.Id);
        Assert.Equal("12.5", update.Attributes["lastBasketValue"]);
        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", update.Attributes["lastScanAt"]);
    }
}
