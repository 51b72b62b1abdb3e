using System.Text.Json.Nodes;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>The IMS token endpoint and the Admin API token endpoint, and how the profile endpoints honour their tokens.</summary>
public sealed class AuthEndpointsTests
{
    [Fact]
    public async Task ImsToken_WithCredentialsInTheBody_AnswersBearerTokenWithExpiresInSeconds()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        using var response = await Wire.ImsTokenAsync(http);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["access_token", "token_type", "expires_in"], json.Select(p => p.Key));
        Assert.StartsWith("emulator-ims-", json["access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("bearer", json["token_type"]!.GetValue<string>());
        Assert.Equal(86_399, json["expires_in"]!.GetValue<long>());
        Assert.Equal(1, emulator.ImsTokenRequests);
    }

    [Theory]
    [InlineData(Wire.ClientId, "wrong-secret", "invalid client_secret parameter")]
    [InlineData("wrong-client", Wire.ClientSecret, "invalid client_id parameter")]
    public async Task ImsToken_WithWrongCredentials_Answers401InvalidClient(string clientId, string clientSecret, string description)
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        using var response = await Wire.ImsTokenAsync(http, clientId, clientSecret);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal($$"""{"error":"invalid_client","error_description":"{{description}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ImsToken_WithCredentialsInTheQuery_IssuesAToken_AsAdobesReferenceAllows_AndTheRecordingHidesThem()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsync(
            $"ims/token/v3?grant_type=client_credentials&client_id={Wire.ClientId}&client_secret={Wire.ClientSecret}&scope=openid",
            content: null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ims-token", emulator.GetRequests()[^1].Outcome);
        Assert.Equal("grant_type=client_credentials&client_id=***&client_secret=***&scope=openid", emulator.GetRequests()[^1].RawQuery);
    }

    [Fact]
    public async Task ImsToken_WithoutScope_Answers400InvalidScope()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsync("ims/token/v3", Wire.Form($"grant_type=client_credentials&client_id={Wire.ClientId}&client_secret={Wire.ClientSecret}"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("\"error\":\"invalid_scope\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ims-invalid_scope", emulator.GetRequests()[^1].Outcome);
    }

    [Fact]
    public async Task ImsToken_WithoutAFormBody_Answers400()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsync("ims/token/v3", new StringContent("""{"client_id":"x"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task ImsToken_WhenRecorded_HidesTheClientSecret()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);

        await Wire.ProfileTokenAsync(http);

        var recorded = emulator.GetRequests();
        Assert.Equal("grant_type=client_credentials&client_id=***&client_secret=***&scope=openid%2CAdobeID%2Ctarget_sdk", recorded[0].RawBody);
        Assert.All(recorded, r => Assert.DoesNotContain(Wire.ClientSecret, r.RawBody + r.RawQuery + string.Join(" ", r.Headers.Values), StringComparison.Ordinal));
        Assert.Equal("Bearer ***", recorded[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task AdminToken_Get_AnswersTheCurrentProfileTokenInTheTargetMediaType()
    {
        var clock = Wire.Clock();
        var options = Wire.ImsOptions(clock);
        options.AuthorizationToken = "first-profile-token";
        options.ProfileTokenLifetime = TimeSpan.FromHours(1);
        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        using var response = await http.SendAsync(Wire.AdminToken(HttpMethod.Get, ims));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.adobe.target.v1+json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("""{"accessToken":"first-profile-token","tokenType":"bearer","scope":"profile_api","expiresIn":3600}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, emulator.AdminTokenRequests);
    }

    [Fact]
    public async Task AdminToken_Post_RotatesTheToken_AndTheOldOneGets403AtEveryProfileEndpoint()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        string old = await Wire.ProfileTokenAsync(http);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", old)).Status);

        string rotated = await Wire.ProfileTokenAsync(http, HttpMethod.Post);

        Assert.NotEqual(old, rotated);
        Assert.Equal(rotated, emulator.ProfileToken);
        Assert.Equal((403, "Forbidden"), await Wire.UpdateAsync(http, "crm-1", old));
        Assert.Equal(403, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo", old)).Status);
        Assert.Equal(403, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\ncrm-1,2", token: old)).Status);
        Assert.Equal((200, "trueRequest successfully submitted"), await Wire.UpdateAsync(http, "crm-1", rotated));
        Assert.Equal(200, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo", rotated)).Status);
    }

    [Fact]
    public async Task ProfileEndpoints_WhenImsIsOn_RefuseRequestsWithoutTheToken()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        Assert.Equal((403, "Forbidden"), await Wire.UpdateAsync(http, "crm-1", token: null));
        Assert.Equal((403, "Forbidden"), await Wire.UpdateAsync(http, "crm-1", token: "made-up"));
        Assert.Equal(403, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo")).Status);
        Assert.Equal(403, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\ncrm-1,2")).Status);
    }

    [Fact]
    public async Task ProfileToken_AfterItsLifetime_Gets403_AndTheNextGetHandsOutAFreshOne()
    {
        var clock = Wire.Clock();
        var options = Wire.ImsOptions(clock);
        options.ProfileTokenLifetime = TimeSpan.FromSeconds(60);
        await using var emulator = await TargetEmulator.StartAsync(options);
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        string first = await Wire.ProfileTokenAsync(http);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", first)).Status);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(403, (await Wire.UpdateAsync(http, "crm-1", first)).Status);

        string ims = await Wire.ImsAccessTokenAsync(http);
        using var response = await http.SendAsync(Wire.AdminToken(HttpMethod.Get, ims));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        string fresh = json["accessToken"]!.GetValue<string>();
        Assert.NotEqual(first, fresh);
        Assert.Equal(60, json["expiresIn"]!.GetValue<long>());
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", fresh)).Status);
    }

    [Fact]
    public async Task AdminToken_WithAnExpiredImsToken_Answers401()
    {
        var clock = Wire.Clock();
        var options = Wire.ImsOptions(clock);
        options.ImsTokenLifetime = TimeSpan.FromSeconds(30);
        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        clock.Advance(TimeSpan.FromSeconds(30));
        var (status, body) = await Wire.SendAsync(http, Wire.AdminToken(HttpMethod.Get, ims));

        Assert.Equal(401, status);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["httpStatus", "requestId", "requestTime", "errors"], json.Select(p => p.Key));
        Assert.Equal(401, json["httpStatus"]!.GetValue<int>());
        Assert.Equal("2026-01-02T03:04:35.678Z", json["requestTime"]!.GetValue<string>());
        Assert.Equal("The IMS access token is missing, invalid or expired", json["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-an-ims-token", Wire.ClientId, "demo", 401)]
    [InlineData(null, "someone-else", "demo", 401)]
    [InlineData(null, Wire.ClientId, "other-tenant", 404)]
    public async Task AdminToken_WithWrongTokenApiKeyOrTenant_IsRefused(string? imsToken, string apiKey, string tenant, int expected)
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);
        imsToken ??= await Wire.ImsAccessTokenAsync(http);

        var (status, _) = await Wire.SendAsync(http, Wire.AdminToken(HttpMethod.Get, imsToken, tenant, apiKey));

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task AdminToken_WithoutProfileApiScope_Answers400()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);
        var request = Wire.AdminToken(HttpMethod.Get, ims);
        request.RequestUri = new Uri("demo/target/authentication/token", UriKind.Relative);

        Assert.Equal(400, (await Wire.SendAsync(http, request)).Status);
    }

    [Fact]
    public async Task AdminToken_WhenNoTokenExistsYet_GetAnswers404UntilAPostGeneratesOne()
    {
        var options = Wire.ImsOptions();
        options.ProfileTokenExists = false;
        await using var emulator = await TargetEmulator.StartAsync(options);
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (status, body) = await Wire.SendAsync(http, Wire.AdminToken(HttpMethod.Get, ims));
        Assert.Equal(404, status);
        Assert.Contains("No profile API token has been generated for this tenant yet", body, StringComparison.Ordinal);
        Assert.Null(emulator.ProfileToken);
        Assert.Equal(403, (await Wire.UpdateAsync(http, "crm-1", token: null)).Status);

        string created = await Wire.ProfileTokenAsync(http, HttpMethod.Post);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", created)).Status);
        Assert.Equal(created, await Wire.ProfileTokenAsync(http));
    }

    [Fact]
    public async Task Faults_TargetingImsAndAdminToken_FailOnlyThatStep()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        emulator.InjectFaults(EmulatorFault.ImsTokenFailure(503), EmulatorFault.AdminTokenFailure(500));
        using var http = Wire.Client(emulator);

        using (var failed = await Wire.ImsTokenAsync(http))
        {
            Assert.Equal(503, (int)failed.StatusCode);
        }

        string ims = await Wire.ImsAccessTokenAsync(http);
        Assert.Equal(500, (await Wire.SendAsync(http, Wire.AdminToken(HttpMethod.Get, ims))).Status);
        Assert.Equal(200, (await Wire.SendAsync(http, Wire.AdminToken(HttpMethod.Get, ims))).Status);
        Assert.Equal(2, emulator.ImsTokenRequests);
        Assert.Equal(2, emulator.AdminTokenRequests);
    }

    [Fact]
    public async Task Faults_ForProfileEndpoints_AreNotConsumedByTokenCalls()
    {
        var options = Wire.ImsOptions();
        await using var emulator = await TargetEmulator.StartAsync(options);
        emulator.SeedProfile(thirdPartyId: "crm-1");
        emulator.InjectFaults(EmulatorFault.Status(503));
        using var http = Wire.Client(emulator);

        string token = await Wire.ProfileTokenAsync(http);

        Assert.Equal(503, (await Wire.UpdateAsync(http, "crm-1", token)).Status);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", token)).Status);
    }

    [Fact]
    public async Task Stats_CountImsAndAdminTokenCalls()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);
        await Wire.ProfileTokenAsync(http);
        using (await Wire.ImsTokenAsync(http, clientSecret: "wrong"))
        {
        }

        var stats = JsonNode.Parse(await http.GetStringAsync("_emulator/stats"))!;

        Assert.Equal(2, stats["imsTokenRequests"]!.GetValue<long>());
        Assert.Equal(1, stats["adminTokenRequests"]!.GetValue<long>());
        Assert.True(stats["profileTokenExists"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Counters_Under100ConcurrentCalls_CountEachCallOnce()
    {
        var options = Wire.ImsOptions();
        options.BulkCallsPerMinute = 1_000;
        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = Wire.Client(emulator);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Wire.ProfileTokenAsync(http)));

        Assert.Equal(100, emulator.ImsTokenRequests);
        Assert.Equal(100, emulator.AdminTokenRequests);
    }

    [Fact]
    public async Task FixedAuthorizationToken_WithoutIms_NeverExpires()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { AuthorizationToken = "fixed", TimeProvider = clock });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        clock.Advance(TimeSpan.FromDays(400));

        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", "fixed")).Status);
        Assert.Equal(403, (await Wire.UpdateAsync(http, "crm-1", "other")).Status);
        using var ims = await Wire.ImsTokenAsync(http);
        Assert.Equal(401, (int)ims.StatusCode);
    }

    [Fact]
    public async Task RotateProfileToken_InProcess_BreaksHoldersOfTheOldToken()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        string old = await Wire.ProfileTokenAsync(http);

        string rotated = emulator.RotateProfileToken();

        Assert.Equal(403, (await Wire.UpdateAsync(http, "crm-1", old)).Status);
        Assert.Equal(rotated, await Wire.ProfileTokenAsync(http));
    }

    [Fact]
    public async Task StartAsync_WithImsClientIdButNoSecret_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TargetEmulator.StartAsync(new TargetEmulatorOptions { ImsClientId = "id" }));
        Assert.Contains("ImsClientSecret", error.Message, StringComparison.Ordinal);
    }
}
