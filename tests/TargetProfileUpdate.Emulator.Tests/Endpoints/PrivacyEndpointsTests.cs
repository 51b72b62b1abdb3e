using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>Adobe Privacy Service as far as Target takes part: jobs, their status, erasure, access data, limits and header checks.</summary>
public sealed class PrivacyEndpointsTests
{
    private const string Org = "ABC123@AdobeOrg";
    private const string FetchCrm1 = "rest/v1/profiles/thirdPartyId/crm-1?client=demo";

    [Fact]
    public async Task Delete_CreatesOneJobPerUserAndAction_AndErasesTheProfileOnlyOnceTheJobCompletes()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1", Attributes = { ["tier"] = "gold" } });
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (status, body) = await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "target"))));

        Assert.Equal(200, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(1, answer["requestStatus"]!.GetValue<int>());
        Assert.Equal(1, answer["totalRecords"]!.GetValue<int>());
        string jobId = answer["jobs"]![0]!["jobId"]!.GetValue<string>();
        Assert.Equal("""{"user":{"key":"k1","action":["delete"]}}""", answer["jobs"]![0]!["customer"]!.ToJsonString());
        Assert.Equal("privacy-jobs-created", emulator.GetRequests()[^1].Outcome);

        var job = await JobAsync(http, ims, jobId);
        Assert.Equal("processing", job["status"]!.GetValue<string>());
        Assert.Equal(200, (await Wire.FetchAsync(http, FetchCrm1)).Status);

        clock.Advance(TimeSpan.FromMinutes(10));

        job = await JobAsync(http, ims, jobId);
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        Assert.Equal("k1", job["userKey"]!.GetValue<string>());
        Assert.Equal("delete", job["action"]!.GetValue<string>());
        Assert.Equal("gdpr", job["regulation"]!.GetValue<string>());
        Assert.Equal("01/02/2026 03:04 AM GMT", job["createdDate"]!.GetValue<string>());
        var product = job["productResponses"]![0]!;
        Assert.Equal("Target", product["product"]!.GetValue<string>());
        Assert.Equal("complete", product["productStatusResponse"]!["status"]!.GetValue<string>());
        Assert.Equal(404, (await Wire.FetchAsync(http, FetchCrm1)).Status);
        Assert.Null(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task Delete_ThenUpdate_IsDroppedAsForAnUnknownProfile()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1" });
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);
        await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "target"))));
        clock.Advance(TimeSpan.FromMinutes(10));

        await Wire.UpdateAsync(http, "crm-1", token: null);

        Assert.Equal("dropped-unknown-profile", emulator.GetRequests()[^1].Outcome);
    }

    [Fact]
    public async Task Access_ResultNamesTheProfilesAttributes_AndOffersTheContentDownload()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        emulator.SeedProfile(new ProfileSeed { PcId = "pc-1", ThirdPartyId = "crm-1", Attributes = { ["tier"] = "gold", ["city"] = "Basel" } });
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (_, body) = await CreateAsync(http, ims, Body(User("k1", ["access", "delete"], Id("TNTID", "pc-1", "standard"))));
        var jobs = JsonNode.Parse(body)!["jobs"]!.AsArray();
        Assert.Equal(2, jobs.Count);
        string accessJob = jobs.Single(j => j!["customer"]!["user"]!["action"]![0]!.GetValue<string>() == "access")!["jobId"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromMinutes(10));

        var job = await JobAsync(http, ims, accessJob);

        Assert.Equal(
            """{"profiles":[{"tntId":"pc-1","thirdPartyId":"crm-1","marketingCloudVisitorId":null,"profileAttributes":{"city":"Basel","tier":"gold"}}]}""",
            job["productResponses"]![0]!["productStatusResponse"]!["results"]!.ToJsonString());
        string download = job["downloadURL"]!.GetValue<string>();
        using var content = Request(HttpMethod.Get, download, ims);
        var (status, contentBody) = await Wire.SendAsync(http, content);
        Assert.Equal(200, status);
        Assert.Contains("\"city\":\"Basel\"", contentBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownId_CompletesWithUserContextNotFound_NotAsAnError()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (_, body) = await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("ECID", "00000000000000000000000000000000000000", "standard"))));
        clock.Advance(TimeSpan.FromMinutes(10));
        var job = await JobAsync(http, ims, JsonNode.Parse(body)!["jobs"]![0]!["jobId"]!.GetValue<string>());

        Assert.Equal("complete", job["status"]!.GetValue<string>());
        Assert.Equal("user context not found", job["productResponses"]![0]!["productStatusResponse"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ThirdPartyIdWithTheWrongType_DoesNotMatchTheProfile()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1" });
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (_, body) = await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "standard"))));
        clock.Advance(TimeSpan.FromMinutes(10));
        var job = await JobAsync(http, ims, JsonNode.Parse(body)!["jobs"]![0]!["jobId"]!.GetValue<string>());

        Assert.Equal("user context not found", job["productResponses"]![0]!["productStatusResponse"]!["message"]!.GetValue<string>());
        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task AnotherOrganizationsCompanyContext_CompletesAsNotApplicable()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock, orgId: Org);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1" });
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (_, body) = await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "target")), org: "OTHER@AdobeOrg"));
        clock.Advance(TimeSpan.FromMinutes(10));
        var job = await JobAsync(http, ims, JsonNode.Parse(body)!["jobs"]![0]!["jobId"]!.GetValue<string>());

        Assert.Equal("company context not applicable", job["productResponses"]![0]!["productStatusResponse"]!["message"]!.GetValue<string>());
        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task FailPrivacyJob_JobsEndInError_AndNothingIsErased()
    {
        var clock = Wire.Clock();
        await using var emulator = await StartAsync(clock);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1" });
        emulator.InjectFaults(EmulatorFault.FailPrivacyJob("Target is unavailable"));
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        var (status, body) = await CreateAsync(http, ims, Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "target"))));
        clock.Advance(TimeSpan.FromMinutes(10));
        var job = await JobAsync(http, ims, JsonNode.Parse(body)!["jobs"]![0]!["jobId"]!.GetValue<string>());

        Assert.Equal(200, status);
        Assert.Equal("error", job["status"]!.GetValue<string>());
        Assert.Equal("error", job["productResponses"]![0]!["productStatusResponse"]!["status"]!.GetValue<string>());
        Assert.Equal("Target is unavailable", job["productResponses"]![0]!["productStatusResponse"]!["message"]!.GetValue<string>());
        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task Request_With1001Users_Or10IdsForOneUser_Answers400AndCreatesNoJob()
    {
        await using var emulator = await StartAsync(Wire.Clock());
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);
        var users = Enumerable.Range(0, 1001).Select(i => User("k" + i, ["delete"], Id("THIRDPARTYID", "id-" + i, "target"))).ToArray();
        var tenIds = Enumerable.Range(0, 10).Select(i => Id("THIRDPARTYID", "id-" + i, "target")).ToArray();

        var tooManyUsers = await CreateAsync(http, ims, Body(users));
        var tooManyIds = await CreateAsync(http, ims, Body(User("k", ["delete"], tenIds)));
        var exactly = await CreateAsync(http, ims, Body([.. users.Take(1000)]));

        Assert.Equal(400, tooManyUsers.Status);
        Assert.Contains("1000", tooManyUsers.Body, StringComparison.Ordinal);
        Assert.Equal(400, tooManyIds.Status);
        Assert.Contains("9", tooManyIds.Body, StringComparison.Ordinal);
        Assert.Equal(200, exactly.Status);
        Assert.Equal(1000, JsonNode.Parse(exactly.Body)!["totalRecords"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("token", 401)]
    [InlineData("api-key", 403)]
    [InlineData("org", 400)]
    [InlineData("content-type", 415)]
    public async Task Request_WithoutARequiredHeader_IsRefused(string missing, int expected)
    {
        await using var emulator = await StartAsync(Wire.Clock());
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        using var request = Request(HttpMethod.Post, "data/core/privacy/jobs", missing == "token" ? "not-a-token" : ims, apiKey: missing == "api-key" ? "wrong" : Wire.ClientId, org: missing == "org" ? null : Org);
        request.Content = new StringContent(Body(User("k1", ["delete"], Id("THIRDPARTYID", "crm-1", "target"))).ToJsonString(), System.Text.Encoding.UTF8, missing == "content-type" ? "text/plain" : "application/json");
        var (status, _) = await Wire.SendAsync(http, request);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task JobStatus_UnknownJobId_Answers404()
    {
        await using var emulator = await StartAsync(Wire.Clock());
        using var http = Wire.Client(emulator);
        string ims = await Wire.ImsAccessTokenAsync(http);

        using var request = Request(HttpMethod.Get, "data/core/privacy/jobs/no-such-job", ims);
        var (status, _) = await Wire.SendAsync(http, request);

        Assert.Equal(404, status);
    }

    private static Task<TargetEmulator> StartAsync(FakeTimeProvider clock, string? orgId = null)
    {
        var options = Wire.ImsOptions(clock);
        options.RequireAuthentication = false;
        options.PropagationDelay = TimeSpan.Zero;
        options.PrivacyProcessingDelay = TimeSpan.FromMinutes(10);
        options.ImsOrgId = orgId;
        return TargetEmulator.StartAsync(options);
    }

    private static JsonObject Id(string ns, string value, string type) => new() { ["namespace"] = ns, ["value"] = value, ["type"] = type };

    private static JsonObject User(string key, string[] actions, params JsonObject[] ids) => new()
    {
        ["key"] = key,
        ["action"] = new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]),
        ["userIDs"] = new JsonArray([.. ids]),
    };

    private static JsonObject Body(params JsonObject[] users) => Body(users, Org);

    private static JsonObject Body(JsonObject user, string org) => Body([user], org);

    private static JsonObject Body(JsonObject[] users, string org) => new()
    {
        ["companyContexts"] = new JsonArray(new JsonObject { ["namespace"] = "imsOrgID", ["value"] = org }),
        ["users"] = new JsonArray([.. users.Select(u => u.DeepClone())]),
        ["include"] = new JsonArray("Target"),
        ["regulation"] = "gdpr",
    };

    private static HttpRequestMessage Request(HttpMethod method, string url, string ims, string apiKey = Wire.ClientId, string? org = Org)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ims);
        request.Headers.Add("x-api-key", apiKey);
        if (org is not null)
        {
            request.Headers.Add("x-gw-ims-org-id", org);
        }

        return request;
    }

    private static Task<(int Status, string Body)> CreateAsync(HttpClient http, string ims, JsonObject body)
    {
        var request = Request(HttpMethod.Post, "data/core/privacy/jobs", ims);
        request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        return Wire.SendAsync(http, request);
    }

    private static async Task<JsonNode> JobAsync(HttpClient http, string ims, string jobId)
    {
        var (status, body) = await Wire.SendAsync(http, Request(HttpMethod.Get, "data/core/privacy/jobs/" + jobId, ims));
        Assert.Equal(200, status);
        return JsonNode.Parse(body)!;
    }
}
