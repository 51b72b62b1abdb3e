using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Authentication;

/// <summary>The Adobe IMS flow end to end against the emulator (IMS and Admin API on its own address), on one fake clock.</summary>
public sealed class ImsFlowTests
{
    private static ProfileUpdate Update(string tier = "gold") => ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", tier);

    [Fact]
    public async Task FirstCall_FetchesImsThenProfileToken_UpdateAndFetchSucceed()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");

        await rig.Client.UpdateAsync(Update());
        var profile = await rig.Fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Equal("gold", profile!.Attributes["tier"].Value);
        Assert.Equal(1, rig.Emulator.ImsTokenRequests);
        Assert.Equal(1, rig.Emulator.AdminTokenRequests);
        var requests = rig.Emulator.GetRequests();
        var ims = Assert.Single(requests, r => r.Path == "/ims/token/v3");
        Assert.Equal("POST", ims.Method);
        Assert.Equal(string.Empty, ims.RawQuery);
        Assert.Equal("grant_type=client_credentials&client_id=***&client_secret=***&scope=openid%2CAdobeID%2Ctarget_sdk", ims.RawBody);
        var admin = Assert.Single(requests, r => r.Path == "/acme/target/authentication/token");
        Assert.Equal("GET", admin.Method);
        Assert.Equal("authorizationScope=profile_api", admin.RawQuery);
        Assert.Equal("***", admin.Headers["X-Api-Key"]);
        Assert.Equal("application/vnd.adobe.target.v1+json", admin.Headers["Accept"]);
        Assert.All(requests.Where(r => r.Path != "/ims/token/v3"), r => Assert.Equal("Bearer ***", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task ExpiredTokens_AreRefreshedSilently_BeforeTheNextCall()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update("gold"));
        string? first = rig.Emulator.ProfileToken;

        rig.Time.Advance(TimeSpan.FromMinutes(61));
        await rig.Client.UpdateAsync(Update("silver"));

        Assert.NotEqual(first, rig.Emulator.ProfileToken);
        Assert.Equal("silver", rig.Emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
        Assert.Equal(2, rig.Emulator.ImsTokenRequests);
        Assert.Equal(2, rig.Emulator.AdminTokenRequests);
        Assert.Equal(2, rig.ProfileRequests);
    }

    [Fact]
    public async Task Refresh_WhenTheAdminApiReturnsTheSameTokenInsideTheSkew_DoesNotCallTheAdminApiOnEveryRequest()
    {
        // Adobe's GET hands back the existing token with its remaining lifetime: 4 minutes left is inside the 5-minute skew.
        await using var rig = await ImsRig.StartAsync(e => e.ImsTokenLifetime = TimeSpan.FromHours(24));
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update());

        rig.Time.Advance(TimeSpan.FromMinutes(56));
        for (int i = 0; i < 10; i++)
        {
            await rig.Client.UpdateAsync(Update());
        }

        Assert.Equal(2, rig.Emulator.AdminTokenRequests);
        Assert.Equal(11, rig.ProfileRequests);
    }

    [Fact]
    public async Task RotationBySomeoneElse_Gets403_ThenExactlyOneForcedRefreshAndOneResend()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update("gold"));

        string rotated = await rig.RotateLikeSomeoneElseAsync();
        long adminBefore = rig.Emulator.AdminTokenRequests;
        int profileBefore = rig.ProfileRequests;
        await rig.Client.UpdateAsync(Update("silver"));

        Assert.Equal(rotated, rig.Emulator.ProfileToken);
        Assert.Equal("silver", rig.Emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
        Assert.Equal(adminBefore + 1, rig.Emulator.AdminTokenRequests);
        Assert.Equal(2, rig.Emulator.ImsTokenRequests); // the SDK's one (still cached) and the other system's
        var profileCalls = rig.Emulator.GetRequests().Where(r => r.Path == "/m2/demo/profile/update").Skip(profileBefore).ToList();
        Assert.Equal([403, 200], profileCalls.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Refusal_WhenTheForcedRefreshGivesTheSameTokenBack_IsFinalWithoutAResend_Update()
    {
        // Issue 19 item 4: the Admin GET gives the tenant's current token; when that is the token just refused, resending
        // it cannot help, so the refusal is final after one forced refresh (never a loop, never a second request).
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        rig.Emulator.InjectFaults(EmulatorFault.Status(403), EmulatorFault.Status(403), EmulatorFault.Status(403));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Client.UpdateAsync(Update()));

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal(AuthenticationStep.ProfileEndpoint, ex.Step);
        Assert.Equal(1, rig.ProfileRequests);
        Assert.Equal(2, rig.Emulator.AdminTokenRequests); // the first token, the forced refresh; never a loop
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusal_WhenTheForcedRefreshGivesTheSameTokenBack_IsFinalWithoutAResend_Fetch()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        rig.Emulator.InjectFaults(EmulatorFault.Status(401), EmulatorFault.Status(403), EmulatorFault.Status(403));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));

        Assert.Equal(AuthenticationStep.ProfileEndpoint, ex.Step);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(1, rig.ProfileRequests);
        Assert.Equal(2, rig.Emulator.AdminTokenRequests);
    }

    [Fact]
    public async Task WrongSecret_GivesAClearErrorNamingTheImsStep_WithoutTheSecret()
    {
        const string wrong = "wrong-Secret+/=&value";
        await using var rig = await ImsRig.StartAsync(secret: wrong);

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Client.UpdateAsync(Update()));

        var auth = ex;
        Assert.Equal(AuthenticationStep.Ims, auth.Step);
        Assert.Equal(401, auth.StatusCode);
        Assert.Contains("IMS", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AdobeIms:ClientSecret", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, rig.ProfileRequests);
        Assert.Equal(0, rig.Emulator.AdminTokenRequests);
        foreach (string text in new[] { ex.ToString(), ex.ResponseBody ?? string.Empty, auth.ResponseBody ?? string.Empty }.Concat(rig.Logs.Entries.Select(e => e.Text)))
        {
            foreach (string form in new[] { wrong, ImsRig.ClientSecret, Uri.EscapeDataString(wrong), Uri.EscapeDataString(ImsRig.ClientSecret) })
            {
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task HundredConcurrentCalls_WithAnExpiredToken_CauseOneImsCallAndOneAdminCall()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update());
        rig.Time.Advance(TimeSpan.FromHours(2));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => rig.Client.UpdateAsync(Update()))));

        Assert.Equal(2, rig.Emulator.ImsTokenRequests);
        Assert.Equal(2, rig.Emulator.AdminTokenRequests);
        Assert.Equal(101, rig.ProfileRequests);
        Assert.All(rig.Emulator.GetRequests().Where(r => r.Path == "/m2/demo/profile/update"), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task NoTokenYet_GivesAClearErrorToGenerateOneOrOptIn()
    {
        await using var rig = await ImsRig.StartAsync(e => e.ProfileTokenExists = false);

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Client.UpdateAsync(Update()));

        var auth = ex;
        Assert.Equal(AuthenticationStep.AdminApi, auth.Step);
        Assert.Equal(404, auth.StatusCode);
        Assert.Contains("Target UI", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CreateTokenIfMissing", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Emulator.GetRequests(), r => r.Method == "POST" && r.Path.EndsWith("/authentication/token", StringComparison.Ordinal));
        Assert.Null(rig.Emulator.ProfileToken);
        Assert.Equal(0, rig.ProfileRequests);
    }

    [Fact]
    public async Task NoTokenYet_WithCreateTokenIfMissing_PostsOnceThenSucceeds()
    {
        await using var rig = await ImsRig.StartAsync(e => e.ProfileTokenExists = false, o => o.AdobeIms.CreateTokenIfMissing = true);
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");

        await rig.Client.UpdateAsync(Update());
        await rig.Client.UpdateAsync(Update("silver"));

        var admin = rig.Emulator.GetRequests().Where(r => r.Path == "/acme/target/authentication/token").Select(r => (r.Method, r.StatusCode));
        Assert.Equal([("GET", 404), ("POST", 201)], admin);
        Assert.NotNull(rig.Emulator.ProfileToken);
        Assert.Equal("silver", rig.Emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task RefreshFailure_WhileTheCachedTokenIsValid_KeepsUsingIt_AndLogsOneWarningWithoutSecrets()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update("gold"));
        string? token = rig.Emulator.ProfileToken;

        rig.Time.Advance(TimeSpan.FromMinutes(56)); // inside the 5-minute skew: a refresh is due, both tokens still valid
        rig.Emulator.InjectFaults(EmulatorFault.ImsTokenFailure(500));
        await rig.Client.UpdateAsync(Update("silver"));

        Assert.Equal(token, rig.Emulator.ProfileToken);
        Assert.Equal("silver", rig.Emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
        var warning = Assert.Single(rig.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal("ProfileApiTokenRefreshFailed", warning.EventId.Name);
        Assert.Contains("Ims", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ImsRig.ClientSecret, warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token!, warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshFailure_WhileTheCachedTokenIsValid_IsNotRetriedByEveryWaitingCaller()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update("gold"));

        rig.Time.Advance(TimeSpan.FromMinutes(56));
        rig.Emulator.InjectFaults(Enumerable.Range(0, 50).Select(_ => EmulatorFault.ImsTokenFailure(500)).ToArray());
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => rig.Client.UpdateAsync(Update("silver")))));

        Assert.Equal(2, rig.Emulator.ImsTokenRequests);
        Assert.Single(rig.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(21, rig.ProfileRequests);
    }

    /// <summary>Issue 19 item 3: IMS answering 400 made 200 concurrent first calls into 200 IMS calls, one after another.
    /// Waiters now share the one refresh's failure, which is remembered briefly, and only briefly.</summary>
    [Fact]
    public async Task ImsRefusing_200ConcurrentFirstCalls_ShareOneImsCall_AndTheFailureIsRememberedOnlyBriefly()
    {
        await using var rig = await ImsRig.StartAsync(secret: "wrong-secret");

        var errors = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Record.ExceptionAsync(() => rig.Client.UpdateAsync(Update())))));

        Assert.All(errors, e => Assert.Equal(AuthenticationStep.Ims, Assert.IsType<ProfileApiAuthenticationException>(e).Step));
        Assert.Equal(1, rig.Emulator.ImsTokenRequests);
        Assert.Equal(0, rig.ProfileRequests);

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Client.UpdateAsync(Update()));
        Assert.Equal(1, rig.Emulator.ImsTokenRequests);

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => rig.Client.UpdateAsync(Update()));
        Assert.Equal(2, rig.Emulator.ImsTokenRequests);
    }

    /// <summary>Issue 19 item 4: 200 concurrent updates meeting 403 made 50 Admin API calls in under a second (a forced
    /// refresh was satisfied only by a different token, which the Admin GET never returns) and spent the account's
    /// 50-per-minute Admin/bulk budget. Now they share one forced refresh, and the same token back makes the 403 final.</summary>
    [Fact]
    public async Task Burst403_200ConcurrentUpdates_ShareOneForcedRefresh_AndTheSameTokenBackIsFinal()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1");
        await rig.Client.UpdateAsync(Update());
        long adminBefore = rig.Emulator.AdminTokenRequests;
        rig.Emulator.InjectFaults(Enumerable.Range(0, 400).Select(_ => EmulatorFault.Status(403)).ToArray());

        var errors = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Record.ExceptionAsync(() => rig.Client.UpdateAsync(Update())))));

        Assert.All(errors, e =>
        {
            var auth = Assert.IsType<ProfileApiAuthenticationException>(e);
            Assert.Equal(AuthenticationStep.ProfileEndpoint, auth.Step);
            Assert.Equal(403, auth.StatusCode);
        });
        Assert.Equal(1, rig.Emulator.AdminTokenRequests - adminBefore);
        Assert.Equal(1 + 200, rig.ProfileRequests); // no resend with the very token just refused
    }
}
