using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests;

/// <summary>
/// Issue 20: the emulator behaves like Adobe where Adobe is documented, says so where it is not, and records every
/// request. Each test sends what a third-party client sends (DHL's Python client, Segment's destination, an Adobe Campaign
/// bulk worker) and asserts both the answer and the recorded outcome.
/// </summary>
public sealed class FidelityTests
{
    private const string FetchCrm1 = "rest/v1/profiles/thirdPartyId/crm-1?client=demo";

    // 1. Documented behaviour by default.
    [Fact]
    public async Task Defaults_AnUpdateIsVisibleOnlyAfterTheDefaultPropagationDelay_AndABatchIsIncompleteAtFirst()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock });
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["a"] = "0" });
        using var http = Wire.Client(emulator);

        Assert.Equal((200, "trueRequest successfully submitted"), await Wire.UpdateAsync(http, "crm-1", token: null));
        var (_, submitted) = await Wire.BatchUpdateAsync(http, "thirdPartyId,b\ncrm-1,x");

        Assert.Equal("applied", emulator.GetRequests()[0].Outcome);
        Assert.Equal("0", emulator.FindByThirdPartyId("crm-1")!.Attributes["a"].Value);
        Assert.Contains("<status>incomplete</status>", (await Wire.GetAsync(http, Wire.StatusUrl(submitted))).Body, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("1", emulator.FindByThirdPartyId("crm-1")!.Attributes["a"].Value);
        Assert.Contains("<status>complete</status>", (await Wire.GetAsync(http, Wire.StatusUrl(submitted))).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Realistic_SetsAdobesOrdersOfMagnitude_AndAnExplicitDelayWins()
    {
        var options = TargetEmulatorCommandLine.Parse(["--realistic", "--propagation-delay", "5m"], new Dictionary<string, string>());

        Assert.Equal(TimeSpan.FromMinutes(5), options.PropagationDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), options.BatchProcessingDelay);
        Assert.Equal(TimeSpan.FromHours(1), options.ProfileCreationDelay);
        Assert.Equal(TimeSpan.FromDays(1), options.PrivacyProcessingDelay);
        Assert.Equal(TimeSpan.FromDays(14), options.ProfileLifetime);
    }

    [Fact]
    public async Task RunAsync_PrintsTheDelaysInItsBanner_AndStopsOnCancellation()
    {
        using var stop = new CancellationTokenSource();
        using var output = new SignallingWriter("Delays:", stop.Cancel);
        using var error = new StringWriter();

        int exit = await TargetEmulatorCommandLine.RunAsync(["--urls", "http://127.0.0.1:0"], "target-profile emulator", output, error, stop.Token);

        Assert.Equal(0, exit);
        Assert.Contains("Delays: propagation 2s, batch processing 2s, profile creation 2s, privacy jobs 2s; profiles expire after 14d without a visit.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenThePortIsInUse_WritesOneLineAndExitsWith2()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = await TargetEmulatorCommandLine.RunAsync(["--urls", $"http://127.0.0.1:{port}"], "target-profile emulator", output, error);

        Assert.Equal(2, exit);
        string line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"target-profile emulator: cannot listen on http://127.0.0.1:{port}: the address is already in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsecutiveV2Batches_FromTheCampaignWorker_OverrideTheEarlierBatch_UnlessAVisitCameBetween()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "thirdPartyId,segment,score\ncrm-1,gold,10\ncrm-2,gold,10");
        emulator.Visit(new ProfileSeed { ThirdPartyId = "crm-2" });
        var (status, body) = await Wire.BatchUpdateAsync(http, "thirdPartyId,segment\ncrm-1,silver\ncrm-2,silver");

        Assert.Equal(200, status);
        Assert.Contains("<success>true</success>", body, StringComparison.Ordinal);
        Assert.Equal("batch-submitted", emulator.GetRequests()[^1].Outcome);
        var overridden = emulator.FindByThirdPartyId("crm-1")!.Attributes;
        Assert.Equal(["segment"], overridden.Keys);
        Assert.Equal("silver", overridden["segment"].Value);
        var merged = emulator.FindByThirdPartyId("crm-2")!.Attributes;
        Assert.Equal(("silver", "10"), (merged["segment"].Value, merged["score"].Value));
    }

    [Fact]
    public async Task EmptyValue_OnTheUpdateEndpoint_DoesNotClear_AndIsRecordedAsAppliedPartly()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["x"] = "keep" });
        using var http = Wire.Client(emulator);

        var answer = await Wire.GetAsync(http, "m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.x=&profile.y=1");

        Assert.Equal((200, "trueRequest successfully submitted"), answer);
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal("applied-partly", recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("ignored an empty value", StringComparison.Ordinal));
        Assert.Equal(("keep", "1"), (emulator.FindByThirdPartyId("crm-1")!.Attributes["x"].Value, emulator.FindByThirdPartyId("crm-1")!.Attributes["y"].Value));
    }

    [Fact]
    public async Task AllEmptyV2Row_CreatesNoProfile()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "thirdPartyId,a,b\nempty-1,,\nfull-1,1,");

        Assert.Null(emulator.FindByThirdPartyId("empty-1"));
        Assert.NotNull(emulator.FindByThirdPartyId("full-1"));
    }

    [Fact]
    public async Task UpdateOverThe64KbProfileCap_IsDroppedWhole_AndRecordedAsInferred()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["big"] = new string('a', 60_000) });
        using var http = Wire.Client(emulator);

        var answer = await Wire.SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "m2/demo/profile/update") { Content = Wire.Form("mbox3rdPartyId=crm-1&profile.more=" + new string('b', 6_000)) });

        Assert.Equal((200, "trueRequest successfully submitted"), answer);
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal("dropped-profile-too-large", recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("inferred: Adobe documents 64 KB", StringComparison.Ordinal));
        Assert.False(emulator.FindByThirdPartyId("crm-1")!.Attributes.ContainsKey("more"));
    }

    [Fact]
    public async Task FixedToken_WithATokenLifetime_Expires()
    {
        var clock = Wire.Clock();
        var options = TargetEmulatorCommandLine.Parse(["--token", "t-1", "--token-lifetime", "1h"], new Dictionary<string, string>());
        options.TimeProvider = clock;
        await using var emulator = await TargetEmulator.StartAsync(options);
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", "t-1")).Status);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(403, (await Wire.UpdateAsync(http, "crm-1", "t-1")).Status);
        Assert.Equal("forbidden", emulator.GetRequests()[^1].Outcome);
    }

    [Fact]
    public async Task ImsAndRequireAuthentication_AreIndependent()
    {
        var ims = Wire.ImsOptions();
        ims.RequireAuthentication = false;
        await using var open = await TargetEmulator.StartAsync(ims);
        open.SeedProfile(thirdPartyId: "crm-1");
        using var openHttp = Wire.Client(open);

        Assert.Equal(200, (await Wire.UpdateAsync(openHttp, "crm-1", token: null)).Status);
        Assert.Equal("applied", open.GetRequests()[^1].Outcome);
        Assert.NotEmpty(await Wire.ImsAccessTokenAsync(openHttp));

        await using var closed = await TargetEmulator.StartAsync(new TargetEmulatorOptions { AuthorizationToken = "t-1" });
        closed.SeedProfile(thirdPartyId: "crm-1");
        using var closedHttp = Wire.Client(closed);

        Assert.Equal(403, (await Wire.UpdateAsync(closedHttp, "crm-1", token: null)).Status);
        Assert.Equal(401, (int)(await Wire.ImsTokenAsync(closedHttp)).StatusCode);
    }

    [Theory]
    [InlineData("bearer t-1")]
    [InlineData("BEARER t-1")]
    [InlineData("Bearer  t-1")]
    public async Task BearerScheme_IsCaseInsensitive_AndToleratesExtraSpaces(string authorization)
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { AuthorizationToken = "t-1" });
        emulator.SeedProfile(thirdPartyId: "crm-1");

        var (status, _) = await Wire.RawAsync(emulator, $"GET /m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.a=1 HTTP/1.1\r\nAuthorization: {authorization}");

        Assert.Equal(200, status);
        Assert.Equal("applied", emulator.GetRequests()[^1].Outcome);
    }

    // 2. Strict parsing, visible.
    [Theory]
    [InlineData("profile.discount=50%", "refused:bad-percent-encoding")]
    [InlineData("profile.discount=50%2", "refused:bad-percent-encoding")]
    [InlineData("profile.city=%C3%28", "refused:invalid-utf8")]
    [InlineData("profile.=x", "refused:unusable-parameter")]
    [InlineData("Profile.cased=1", "refused:unusable-parameter")]
    [InlineData("profile.a=1&profile.a=2", "refused:duplicate-parameter")]
    public async Task MalformedUpdate_AsSegmentSendsIt_IsRefusedWith400_AndRecordedWithWhatWasWrong(string parameters, string outcome)
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");

        var (status, body) = await Wire.RawAsync(emulator, $"GET /m2/demo/profile/update?mbox3rdPartyId=crm-1&{parameters} HTTP/1.1");

        Assert.Equal(400, status);
        Assert.Contains("falseBad request", body, StringComparison.Ordinal);
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal(outcome, recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("inferred: Adobe documents no answer for malformed input", StringComparison.Ordinal));
        Assert.Empty(emulator.FindByThirdPartyId("crm-1")!.Attributes);
    }

    [Fact]
    public async Task PostWithItsParametersInTheQuery_AsSegmentSendsIt_IsApplied()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");

        var (status, _) = await Wire.RawAsync(emulator, "POST /m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.tier=gold HTTP/1.1\r\nContent-Length: 0");

        Assert.Equal(200, status);
        Assert.Equal("applied", emulator.GetRequests()[^1].Outcome);
        Assert.Equal("gold", emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task PostWithAnOversizedQueryString_Gets414LikeAGet_EvenWithASmallBody()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        var answer = await Wire.SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "m2/demo/profile/update?profile.q=" + new string('q', 9_000)) { Content = Wire.Form("mbox3rdPartyId=crm-1&profile.a=1") });

        Assert.Equal(414, answer.Status);
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal("uri-too-long", recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("inferred: Adobe documents 8 KB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownParameter_IsIgnored_AndRecordedAsAppliedPartly()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        Assert.Equal(200, (await Wire.GetAsync(http, "m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.a=1&mbox=target-global-mbox")).Status);

        Assert.Equal("applied-partly", emulator.GetRequests()[^1].Outcome);
    }

    // 3. Unknowns are labelled.
    [Fact]
    public async Task DhlsLiteralClientPath_IsAcceptedAsAnAlias_WithAnInferredNote()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        var answer = await Wire.GetAsync(http, "m2/client/profile/update?mbox3rdPartyId=crm-1&profile.a=1");

        Assert.Equal((200, "trueRequest successfully submitted"), answer);
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal("applied", recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("inferred: the literal 'client'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuotaAnswer_IsRecordedAsInferred()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { QuotaLimit = 1 });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        await Wire.UpdateAsync(http, "crm-1", token: null);
        var (status, body) = await Wire.UpdateAsync(http, "crm-1", token: null);

        Assert.Equal((429, "falseQuota exceeded"), (status, body));
        var recorded = emulator.GetRequests()[^1];
        Assert.Equal("quota-exceeded", recorded.Outcome);
        Assert.Contains(recorded.Notes, n => n.StartsWith("inferred:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BatchStatusUrl_FollowsAdobesDocumentedPath_AndItsHostIsNotedAsInferred()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        using var http = Wire.Client(emulator);

        var (_, body) = await Wire.BatchUpdateAsync(http, "thirdPartyId,a\ncrm-1,1");

        Assert.Matches("/m2/demo/profile/batchStatus\\?batchId=demo-[0-9]+-1$", Wire.StatusUrl(body));
        Assert.Contains(emulator.GetRequests()[^1].Notes, n => n.StartsWith("inferred: the batchStatus host", StringComparison.Ordinal));
    }

    // 4. Record everything.
    [Fact]
    public async Task UnmatchedRouteAndWrongMethod_AreRecorded()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        var missing = await Wire.GetAsync(http, "m2/demo/profile/nope");
        var wrongMethod = await Wire.SendAsync(http, new HttpRequestMessage(HttpMethod.Delete, "m2/demo/profile/update?mbox3rdPartyId=x"));

        Assert.Equal(404, missing.Status);
        Assert.Equal(405, wrongMethod.Status);
        var recorded = emulator.GetRequests();
        Assert.Equal((404, "no-such-endpoint", "/m2/demo/profile/nope"), (recorded[0].StatusCode, recorded[0].Outcome, recorded[0].Path));
        Assert.Equal((405, "method-not-allowed", "DELETE"), (recorded[1].StatusCode, recorded[1].Outcome, recorded[1].Method));
    }

    [Fact]
    public async Task OversizedRequestLineHeadersAndBody_AreAnsweredByTheEmulator_AndRecorded()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        var longLine = await Wire.GetAsync(http, "rest/v1/profiles/" + new string('x', 70_000) + "?client=demo");
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "rest/v1/profiles/x?client=demo");
        bigHeaders.Headers.Add("X-Padding", new string('p', 70_000));
        var headers = await Wire.SendAsync(http, bigHeaders);
        var body = await Wire.SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "data/core/privacy/jobs") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) });

        Assert.Equal((414, 431, 413), (longLine.Status, headers.Status, body.Status));
        Assert.Equal(["uri-too-long", "headers-too-large", "body-too-large"], emulator.GetRequests().Select(r => r.Outcome));
    }

    [Fact]
    public async Task MalformedRequestLine_RejectedByKestrel_IsRecorded()
    {
        await using var emulator = await TargetEmulator.StartAsync();

        var (status, _) = await Wire.RawAsync(emulator, "GET /m2/demo/profile/update?a=b c d HTTP/1.1");

        Assert.Equal(400, status);
        var recorded = Assert.Single(emulator.GetRequests());
        Assert.Equal((400, "rejected-malformed"), (recorded.StatusCode, recorded.Outcome));
    }

    [Fact]
    public async Task Recordings_RedactEveryCredentialPlacement()
    {
        const string Secret = "s3cr3t-Value-42";
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        using (var headers = new HttpRequestMessage(HttpMethod.Get, $"m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.a=1&access_token={Secret}&client_secret={Secret}"))
        {
            headers.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
            headers.Headers.Add("access_token", Secret);
            headers.Headers.Add("X-Api-Key", Secret);
            headers.Headers.Add("Cookie", "session=" + Secret);
            headers.Headers.Add("Proxy-Authorization", "Basic " + Secret);
            headers.Headers.Add("X-Unlisted", Secret);
            await Wire.SendAsync(http, headers);
        }

        await Wire.SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "m2/demo/profile/update") { Content = Wire.Form($"mbox3rdPartyId=crm-1&profile.b=2&access_token={Secret}") });
        await http.PostAsync($"ims/token/v3?client_secret={Secret}", Wire.Form($"grant_type=client_credentials&client_id={Secret}&client_secret={Secret}&scope=openid"));
        await Wire.RawAsync(emulator, $"GET /m2/demo/profile/update?access_token={Secret} x HTTP/1.1");

        string inspected = await http.GetStringAsync("_emulator/requests");
        string inProcess = JsonSerializer.Serialize(emulator.GetRequests());

        Assert.Equal(4, emulator.GetRequests().Count);
        Assert.DoesNotContain(Secret, inspected, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, inProcess, StringComparison.Ordinal);
        var first = emulator.GetRequests()[0];
        Assert.Equal(("Bearer ***", "***", "***", "***", "Basic ***", "***"), (first.Headers["Authorization"], first.Headers["access_token"], first.Headers["X-Api-Key"], first.Headers["Cookie"], first.Headers["Proxy-Authorization"], first.Headers["X-Unlisted"]));
        Assert.Equal("mbox3rdPartyId=crm-1&profile.a=1&access_token=***&client_secret=***", first.RawQuery);
        Assert.Equal("mbox3rdPartyId=crm-1&profile.b=2&access_token=***", emulator.GetRequests()[1].RawBody);
    }

    [Fact]
    public async Task CallNumbers_CountPerScenario()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.Immediate());
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        await Wire.UpdateAsync(http, "crm-1", token: null);
        await Wire.UpdateAsync(http, "crm-1", token: null);

        using (var scenario = await http.PostAsync("_emulator/scenario", content: null))
        {
            Assert.Equal(HttpStatusCode.NoContent, scenario.StatusCode);
        }

        emulator.InjectFaults(EmulatorFault.Status(503).OnCall(1));
        var first = await Wire.UpdateAsync(http, "crm-1", token: null);

        Assert.Equal(503, first.Status);
        var recorded = Assert.Single(emulator.GetRequests());
        Assert.Equal((1L, "fault:503"), (recorded.Sequence, recorded.Outcome));
        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task Faults_WithAnUnknownKind_Answer400ListingTheValidKinds()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsync("_emulator/faults", new StringContent("""{"kind":"Explode"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        foreach (string kind in Enum.GetNames<EmulatorFaultKind>())
        {
            Assert.Contains('"' + kind + '"', body, StringComparison.Ordinal);
        }
    }

    /// <summary>A writer that calls back once a written line contains a marker (no polling).</summary>
    private sealed class SignallingWriter(string marker, Action onMarker) : StringWriter
    {
        public override Task WriteLineAsync(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) ?? false)
            {
                onMarker();
            }

            return Task.CompletedTask;
        }
    }
}
