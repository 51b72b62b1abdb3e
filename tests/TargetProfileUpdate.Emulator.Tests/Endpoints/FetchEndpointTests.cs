using System.Net.Sockets;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>Profile fetch: the three id kinds, ids decoded exactly once from the raw target, 404, 403 and the legacy shape.</summary>
public sealed class FetchEndpointTests
{
    private const string Stamp = "2026-01-02T03:04:05.678";

    [Fact]
    public async Task Fetch_ByMarketingCloudVisitorId_AnswersTheDocumentedShape_WithVisitorIdAsAString()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = Wire.Clock() });
        emulator.SeedProfile(new ProfileSeed { PcId = "pc-1", ThirdPartyId = "crm-1", MarketingCloudVisitorId = "ecid-1", Attributes = { ["tier"] = "gold" } });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/marketingCloudVisitorId/ecid-1?client=demo");

        Assert.Equal(200, status);
        Assert.Equal(
            """{"client":"demo","visitorId":"pc-1","modifiedAt":"STAMPZ","profileAttributes":{"tier":{"value":"gold","modifiedAt":"STAMPZ"}}}""".Replace("STAMP", Stamp, StringComparison.Ordinal),
            body);
        Assert.Equal("fetch", emulator.GetRequests()[^1].Outcome);
        Assert.Empty(emulator.GetRequests()[^1].Notes);
    }

    [Fact]
    public async Task Fetch_WithFetchVisitorIdAsObject_AnswersTheObjectShape_NotedAsInferred()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = Wire.Clock(), FetchVisitorIdAsObject = true });
        emulator.SeedProfile(new ProfileSeed { PcId = "pc-1", ThirdPartyId = "crm-1", MarketingCloudVisitorId = "ecid-1", Attributes = { ["tier"] = "gold" } });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/marketingCloudVisitorId/ecid-1?client=demo");

        Assert.Equal(200, status);
        Assert.Equal(
            """{"client":"demo","visitorId":{"tntId":"pc-1","thirdPartyId":"crm-1","marketingCloudVisitorId":"ecid-1"},"modifiedAt":"STAMPZ","profileAttributes":{"tier":{"value":"gold","modifiedAt":"STAMPZ"}}}""".Replace("STAMP", Stamp, StringComparison.Ordinal),
            body);
        Assert.Equal("ecid-1", emulator.FindByMarketingCloudVisitorId("ecid-1")!.MarketingCloudVisitorId);
        Assert.StartsWith("inferred: visitorId as an object", Assert.Single(emulator.GetRequests()[^1].Notes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rest/v1/profiles/pc-1?client=demo")]
    [InlineData("rest/v1/profiles/thirdPartyId/crm-1?client=demo")]
    [InlineData("rest/v1/profiles/marketingCloudVisitorId/ecid-1?client=demo")]
    public async Task Fetch_ByEachIdKind_FindsTheSameProfile(string path)
    {
        await using var emulator = await TargetEmulator.StartAsync();
        emulator.SeedProfile(new ProfileSeed { PcId = "pc-1", ThirdPartyId = "crm-1", MarketingCloudVisitorId = "ecid-1" });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, path);

        Assert.Equal(200, status);
        Assert.Contains("\"visitorId\":\"pc-1\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedProfile_ByThirdPartyIdOnly_GetsAGeneratedPcId_ThatFetchFinds()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        var seeded = emulator.SeedProfile(thirdPartyId: "crm-9");
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/" + seeded.PcId + "?client=demo");

        Assert.Matches("^[0-9]+-[0-9]+\\.01_00$", seeded.PcId);
        Assert.Equal(200, status);
        Assert.Contains("\"visitorId\":\"" + seeded.PcId + "\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a?b", "a%3Fb")]
    [InlineData("a#b", "a%23b")]
    [InlineData("100%", "100%25")]
    [InlineData("%41", "%2541")]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("Zürich 東京", "Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC")]
    public async Task Fetch_OddThirdPartyId_IsDecodedExactlyOnceFromTheRawTarget(string id, string segment)
    {
        await using var emulator = await TargetEmulator.StartAsync();
        emulator.SeedProfile(thirdPartyId: id, attributes: new Dictionary<string, string> { ["k"] = "v" });

        // A raw socket: nothing between the test and Kestrel normalises the request target.
        var (status, body) = await RawGetAsync(emulator, $"/rest/v1/profiles/thirdPartyId/{segment}?client=demo");

        Assert.Equal(200, status);
        Assert.Contains("\"profileAttributes\":{\"k\":{\"value\":\"v\"", body, StringComparison.Ordinal);
        Assert.Equal($"/rest/v1/profiles/thirdPartyId/{segment}", Assert.Single(emulator.GetRequests()).Path);
    }

    [Fact]
    public async Task Fetch_IdWithARawSlash_IsNotSplitIntoAnotherProfile()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        emulator.SeedProfile(thirdPartyId: "b");
        emulator.SeedProfile(thirdPartyId: "a/b");

        var (status, _) = await RawGetAsync(emulator, "/rest/v1/profiles/thirdPartyId/a/b?client=demo");

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Fetch_UnknownProfile_Answers404Json()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/nobody?client=demo");

        Assert.Equal(404, status);
        Assert.Equal("""{"status":404,"message":"No profile found for client demo with third party id=nobody"}""", body);
    }

    [Fact]
    public async Task Fetch_UnknownEcid_Answers404NamingTheIdKind()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/marketingCloudVisitorId/e-404?client=demo");

        Assert.Equal(404, status);
        Assert.Equal("""{"status":404,"message":"No profile found for client demo with marketing cloud visitor id=e-404"}""", body);
    }

    [Fact]
    public async Task Fetch_WithoutTheToken_Answers403()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { AuthorizationToken = "t" });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        Assert.Equal((403, "Forbidden"), await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo"));
        Assert.Equal(200, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo", "t")).Status);
    }

    [Fact]
    public async Task Fetch_LegacyShape_HasMboxPcThirdPartyIdAndTimestampsWithoutOffset()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = Wire.Clock(), LegacyFetchShape = true });
        emulator.SeedProfile(pcId: "pc-1", thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["user.level"] = "3" });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo");

        Assert.Equal(200, status);
        Assert.Equal(
            """{"client":"demo","mboxPC":"pc-1","thirdPartyId":"crm-1","modifiedAt":"STAMP","profileAttributes":{"user.level":{"value":"3","modifiedAt":"STAMP"}}}""".Replace("STAMP", Stamp, StringComparison.Ordinal),
            body);
    }

    [Fact]
    public async Task Fetch_AfterAnUpdate_SeesItOnlyAfterThePropagationDelay()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, PropagationDelay = TimeSpan.FromMinutes(5) });
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["a"] = "0" });
        using var http = Wire.Client(emulator);

        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", token: null)).Status);
        Assert.Contains("\"a\":{\"value\":\"0\"", (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo")).Body, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Contains("\"a\":{\"value\":\"1\"", (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/crm-1?client=demo")).Body, StringComparison.Ordinal);
    }

    /// <summary>Sends a GET with exactly this request target over a plain socket and reads the status and body.</summary>
    private static async Task<(int Status, string Body)> RawGetAsync(TargetEmulator emulator, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(emulator.BaseAddress.Host, emulator.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        byte[] request = System.Text.Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {emulator.BaseAddress.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        string response = await reader.ReadToEndAsync();
        int status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, body);
    }
}
