using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests;

/// <summary>The SDK against the emulator over real loopback HTTP. Every test starts its own, clean emulator.</summary>
public sealed class ProfileUpdateIntegrationTests
{
    [Fact]
    public async Task DocumentedPcIdExample_ArrivesVerbatimAndIsApplied()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(pcId: "1368007744041-575948.01_00");
        var client = EmulatorClient.Create(emulator);

        var result = await client.UpdateAsync(ProfileUpdate.ForPcId("1368007744041-575948.01_00").Set("attr", "0").Set("attr2", "1"));

        var request = Assert.Single(emulator.GetRequests());
        Assert.Equal("GET", request.Method);
        Assert.Equal("/m2/demo/profile/update", request.Path);
        Assert.Equal("mboxPC=1368007744041-575948.01_00&profile.attr=0&profile.attr2=1", request.RawQuery);
        Assert.Equal("Request successfully submitted", result.Message);
        var profile = emulator.FindByPcId("1368007744041-575948.01_00")!;
        Assert.Equal("0", profile.Attributes["attr"].Value);
        Assert.Equal("1", profile.Attributes["attr2"].Value);
    }

    [Theory]
    [InlineData(ProfileUpdateMethod.Get)]
    [InlineData(ProfileUpdateMethod.Post)]
    public async Task AwkwardValues_RoundTripExactlyThroughTheServer(ProfileUpdateMethod method)
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm 1/ü");
        var client = EmulatorClient.Create(emulator, o => o.Method = method);
        var values = new Dictionary<string, string>
        {
            ["space"] = "a b",
            ["plus"] = "a+b",
            ["amp"] = "a&b=c",
            ["hash"] = "a#b",
            ["percent"] = "100%",
            ["accent"] = "café",
            ["cjk"] = "東京",
            ["emoji"] = "😀",
            ["crlf"] = "x\r\ny",
            ["Case"] = "upper",
            ["case"] = "lower",
        };
        var update = ProfileUpdate.ForThirdPartyId("crm 1/ü");
        foreach (var (name, value) in values)
        {
            update.Set(name, value);
        }

        await client.UpdateAsync(update);

        var profile = emulator.FindByThirdPartyId("crm 1/ü")!;
        Assert.Equal(values.Count, profile.Attributes.Count);
        foreach (var (name, value) in values)
        {
            Assert.Equal(value, profile.Attributes[name].Value);
        }
    }

    [Fact]
    public async Task LargeUpdate_IsSentAsPostAndApplied_SmallAsGet()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        var client = EmulatorClient.Create(emulator);
        string big = string.Concat(Enumerable.Repeat("notes é ", 1500));

        var small = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));
        var large = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("notes", big));

        Assert.Equal(HttpMethod.Get, small.HttpMethod);
        Assert.Equal(HttpMethod.Post, large.HttpMethod);
        Assert.Equal(["GET", "POST"], emulator.GetRequests().Select(r => r.Method));
        Assert.Equal(big, emulator.FindByThirdPartyId("crm-1")!.Attributes["notes"].Value);
    }

    [Fact]
    public async Task GetAtTheEmulatorsUrlLimit_IsAccepted_AndOneByteOver_Gets414()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, MaxGetRequestBytes = 2000 });
        emulator.SeedProfile(thirdPartyId: "p");
        var client = EmulatorClient.Create(emulator, o => { o.Method = ProfileUpdateMethod.Get; o.MaxGetRequestBytes = 100_000; });
        int overhead = (emulator.BaseAddress + "m2/demo/profile/update?mbox3rdPartyId=p&profile.v=").Length;

        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("v", new string('x', 2000 - overhead)));
        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("v", new string('y', 2001 - overhead))));

        Assert.Equal(2000, result.RequestBytes);
        Assert.Equal(414, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task PostAtTheEmulatorsBodyLimit_IsAccepted_AndOneByteOver_Gets413()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, MaxPostRequestBytes = 3000 });
        emulator.SeedProfile(thirdPartyId: "p");
        var client = EmulatorClient.Create(emulator, o => { o.Method = ProfileUpdateMethod.Post; o.MaxPostRequestBytes = 100_000; });
        int overhead = "mbox3rdPartyId=p&profile.v=".Length;

        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("v", new string('x', 3000 - overhead)));
        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("v", new string('y', 3001 - overhead))));

        Assert.Equal(3000, result.RequestBytes);
        Assert.Equal(413, ex.StatusCode);
    }

    [Fact]
    public async Task SdkDefaults_StayWithinTheDocumentedServerLimits()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "p");
        var client = EmulatorClient.Create(emulator);

        // The biggest update the client allows: a 60,000-byte body.
        int overhead = "mbox3rdPartyId=p&profile.v=".Length;
        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("v", new string('x', 60_000 - overhead)));

        Assert.Equal(HttpMethod.Post, result.HttpMethod);
        Assert.Equal(60_000, result.RequestBytes);
    }

    [Fact]
    public async Task UpdateOfUnknownProfile_IsAcceptedButDroppedAndRecordedAsSuch()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        var client = EmulatorClient.Create(emulator);

        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("never-seen").Set("tier", "gold"));

        Assert.Equal("Request successfully submitted", result.Message);
        Assert.Null(emulator.FindByThirdPartyId("never-seen"));
        Assert.Equal(1, emulator.DroppedUpdates);
        Assert.Equal("dropped-unknown-profile", Assert.Single(emulator.GetRequests()).Outcome);
    }

    [Fact]
    public async Task TokenRequired_WithoutIt403_WithItAccepted_AndRecordedRedacted()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = "profile-token-123" });
        emulator.SeedProfile(thirdPartyId: "p");

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));
        await EmulatorClient.Create(emulator, o => o.AuthorizationToken = "profile-token-123").UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "2"));

        Assert.Equal(403, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("2", emulator.FindByThirdPartyId("p")!.Attributes["a"].Value);
        Assert.Equal("Bearer ***", emulator.GetRequests()[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task Injected503s_AreRetriedUntilApplied()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "p");
        emulator.InjectFaults(EmulatorFault.Status(503), EmulatorFault.Status(503));

        var result = await EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1"));

        Assert.Equal(3, result.Attempts);
        Assert.Equal(["fault:503", "fault:503", "applied"], emulator.GetRequests().Select(r => r.Outcome));
        Assert.Single(emulator.GetRequests().Select(r => r.RawQuery).Distinct());
    }

    [Fact]
    public async Task Injected429WithRetryAfter_IsRetriedAfterTheServersDelay()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "p");
        emulator.InjectFaults(EmulatorFault.TooManyRequests(1));

        var result = await EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1"));

        // How long it waited is proven on a fake clock in the unit tests; here, that the real server's 429 is retried.
        Assert.Equal(2, result.Attempts);
        Assert.Equal(["fault:429", "applied"], emulator.GetRequests().Select(r => r.Outcome));
    }

    [Fact]
    public async Task Injected400_IsNotRetried()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.Status(400));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));

        Assert.Equal(400, ex.StatusCode);
        Assert.Single(emulator.GetRequests());
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_AndTheOtherOriginReceivesNothing()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        await using var elsewhere = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.RedirectTo(elsewhere.BaseAddress + "m2/demo/profile/update"));
        var client = EmulatorClient.Create(emulator, o => o.Method = ProfileUpdateMethod.Post);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));

        Assert.Equal(307, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Empty(elsewhere.GetRequests());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task ConnectionDroppedMidRequest_IsRetried()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "p");
        emulator.InjectFaults(EmulatorFault.Drop());

        var result = await EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1"));

        Assert.Equal(2, result.Attempts);
        Assert.Equal("1", emulator.FindByThirdPartyId("p")!.Attributes["a"].Value);
    }

    [Fact]
    public async Task ConnectionDropped_WithoutRetries_IsATransientFailureWithoutStatus()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.Drop());

        var ex = await Assert.ThrowsAsync<ProfileApiException>(
            () => EmulatorClient.Create(emulator, o => o.Resilience.Enabled = false).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FalseOrHtmlBody_IsNeverASuccess(bool html)
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(html ? EmulatorFault.HtmlBody() : EmulatorFault.FalseBody());

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => EmulatorClient.Create(emulator).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));

        Assert.Equal(200, ex.StatusCode);
        Assert.Single(emulator.GetRequests());
    }

    [Fact]
    public async Task QuotaExhausted_FailsFastWithRetryAfter()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, QuotaLimit = 3 });
        emulator.SeedProfile(thirdPartyId: "p");
        var client = EmulatorClient.Create(emulator);

        for (int i = 0; i < 3; i++)
        {
            await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("n", i));
        }

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("n", 3)));

        Assert.Equal(429, ex.StatusCode);
        Assert.True(ex.RetryAfter > TimeSpan.FromHours(23));
        Assert.Equal(1, ex.Attempts);
        Assert.Equal("2", emulator.FindByThirdPartyId("p")!.Attributes["n"].Value);
    }

    [Fact]
    public async Task TwoHundredConcurrentUpdatesToFiftyProfiles_AreAllAppliedExactly()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        for (int p = 0; p < 50; p++)
        {
            emulator.SeedProfile(thirdPartyId: "crm-" + p);
        }

        var client = EmulatorClient.Create(emulator);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-" + (i % 50)).Set("u" + (i / 50), "v" + i))));

        Assert.Equal(200, emulator.AppliedUpdates);
        for (int p = 0; p < 50; p++)
        {
            var attributes = emulator.FindByThirdPartyId("crm-" + p)!.Attributes;
            Assert.Equal(4, attributes.Count);
            for (int u = 0; u < 4; u++)
            {
                Assert.Equal("v" + ((u * 50) + p), attributes["u" + u].Value);
            }
        }
    }

    [Fact]
    public async Task PropagationDelay_HidesAnUpdateUntilItHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { BatchProcessingDelay = TimeSpan.Zero, PropagationDelay = TimeSpan.FromMinutes(30), TimeProvider = time });
        emulator.SeedProfile(thirdPartyId: "p", attributes: new Dictionary<string, string> { ["tier"] = "silver" });

        await EmulatorClient.Create(emulator, o => o.Resilience.Enabled = false).UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("tier", "gold"));

        Assert.Equal("silver", emulator.FindByThirdPartyId("p")!.Attributes["tier"].Value);
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("gold", emulator.FindByThirdPartyId("p")!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task ProfileFetch_ReturnsTheDocumentedShape_And404ForUnknown()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, FetchVisitorIdAsObject = true });
        var seeded = emulator.SeedProfile(thirdPartyId: "crm-9", attributes: new Dictionary<string, string> { ["a.b"] = "1" });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var found = JsonDocument.Parse(await http.GetStringAsync("rest/v1/profiles/thirdPartyId/crm-9?client=demo"));
        using var byTnt = JsonDocument.Parse(await http.GetStringAsync("rest/v1/profiles/" + seeded.PcId + "?client=demo"));
        var missing = await http.GetAsync("rest/v1/profiles/thirdPartyId/nobody?client=demo");

        Assert.Equal("demo", found.RootElement.GetProperty("client").GetString());
        Assert.Equal("crm-9", found.RootElement.GetProperty("visitorId").GetProperty("thirdPartyId").GetString());
        Assert.Equal("1", found.RootElement.GetProperty("profileAttributes").GetProperty("a.b").GetProperty("value").GetString());
        Assert.Equal(seeded.PcId, byTnt.RootElement.GetProperty("visitorId").GetProperty("tntId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal(404, error.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AdminEndpoints_CreateInspectAndReset()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        var put = await http.PutAsync("_emulator/profiles/thirdPartyId/crm-5", new StringContent("{\"tier\":\"gold\",\"visits\":3}", System.Text.Encoding.UTF8, "application/json"));
        var faults = await http.PostAsync("_emulator/faults", new StringContent("{\"kind\":\"Status\",\"statusCode\":503}", System.Text.Encoding.UTF8, "application/json"));
        var faulted = await http.GetAsync("m2/demo/profile/update?mbox3rdPartyId=crm-5&profile.tier=x");
        var profiles = await http.GetStringAsync("_emulator/profiles");
        var requests = await http.GetStringAsync("_emulator/requests");
        var reset = await http.DeleteAsync("_emulator");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, faults.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Contains("\"crm-5\"", profiles, StringComparison.Ordinal);
        Assert.Contains("\"3\"", profiles, StringComparison.Ordinal);
        Assert.Contains("mbox3rdPartyId=crm-5&profile.tier=x", requests, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(emulator.GetProfiles());
        Assert.Empty(emulator.GetRequests());
    }
}
