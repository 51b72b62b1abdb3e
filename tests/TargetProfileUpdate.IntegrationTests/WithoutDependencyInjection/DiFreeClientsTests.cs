using Microsoft.Extensions.Options;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.WithoutDependencyInjection;

/// <summary>
/// Issue 18: <see cref="ProfileFetchClient"/> and <see cref="BulkProfileUpdateClient"/> were public sealed classes with
/// internal constructors only (<c>new ProfileFetchClient(options)</c> gave CS1729). All three clients are now built the
/// same way without DI, over the same chain as the registration, against the emulator over real loopback HTTP.
/// </summary>
public sealed class DiFreeClientsTests
{
    private static TargetProfileUpdateOptions Options(TargetEmulator emulator) => new()
    {
        ClientCode = emulator.ClientCode,
        BaseAddress = emulator.BaseAddress,
    };

    [Fact]
    public async Task EveryClient_BuiltWithNew_UpdatesFetchesAndUploadsLikeTheRegisteredOnes()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions
        {
            PropagationDelay = TimeSpan.Zero,
            BatchProcessingDelay = TimeSpan.Zero,
        });
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1", Attributes = { ["tier"] = "silver" } });
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-2" });

        using var update = new ProfileUpdateClient(Options(emulator));
        using var fetch = new ProfileFetchClient(Options(emulator));
        using var bulk = new BulkProfileUpdateClient(Options(emulator));

        var sent = await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));
        var profile = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));
        var upload = await bulk.UploadAsync(Rows(ProfileUpdate.ForThirdPartyId("crm-2").Set("tier", "bronze")));
        var status = await bulk.WaitForCompletionAsync(upload.Batches[0], TimeSpan.FromSeconds(1));

        Assert.Equal(ProfileUpdateDelivery.Sent, sent.Delivery);
        Assert.NotNull(profile);
        Assert.Equal("gold", profile.Attributes["tier"].Value);
        Assert.Equal(1, upload.Sent);
        Assert.Equal(BulkBatchState.Complete, status.State);
        Assert.Equal("bronze", (await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-2")))!.Attributes["tier"].Value);
    }

    [Fact]
    public void FetchAndBulk_BuiltWithInvalidOptions_ThrowNamingTheField()
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "demo", MaxGetRequestBytes = 0 };

        var fetch = Assert.Throws<OptionsValidationException>(() => new ProfileFetchClient(options));
        var bulk = Assert.Throws<OptionsValidationException>(() => new BulkProfileUpdateClient(options));

        Assert.Contains("MaxGetRequestBytes", fetch.Message, StringComparison.Ordinal);
        Assert.Contains("MaxGetRequestBytes", bulk.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchClient_BuiltWithNewAndDisposed_RefusesFurtherCalls()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero });
        var fetch = new ProfileFetchClient(Options(emulator));
        fetch.Dispose();
        fetch.Dispose(); // idempotent

        var ex = await Record.ExceptionAsync(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));

        Assert.NotNull(ex);
        Assert.True(ex is ObjectDisposedException || (ex is ProfileApiException api && api.Reason == ProfileApiFailureReason.Disposed), ex.GetType().Name);
        Assert.Empty(emulator.GetRequests());
    }

    private static async IAsyncEnumerable<ProfileUpdate> Rows(params ProfileUpdate[] updates)
    {
        foreach (var update in updates)
        {
            yield return update;
        }

        await Task.CompletedTask;
    }
}
