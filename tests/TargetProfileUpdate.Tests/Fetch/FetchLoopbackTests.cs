using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.SharedTestSupport;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>
/// The fetch client over real sockets against an independent server that reads the raw request line: proves that
/// nothing between the client and the wire (HttpClient, Uri, handlers) unescapes or rewrites the path.
/// </summary>
public sealed class FetchLoopbackTests
{
    public static TheoryData<string, string> Odd => OddIds;

    [Fact]
    public async Task GetProfileAsync_EachIdKind_SendsTheExactRequestTarget()
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var byPc = await fetch.GetProfileAsync(ProfileId.FromPcId("1368007744041-575948.01_00"));
        var byThirdParty = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));
        var byEcid = await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("65453743417542776491447190463917247418"));

        Assert.Equal(
            [
                "GET /rest/v1/profiles/1368007744041-575948.01_00?client=demo HTTP/1.1",
                "GET /rest/v1/profiles/thirdPartyId/crm-1?client=demo HTTP/1.1",
                "GET /rest/v1/profiles/marketingCloudVisitorId/65453743417542776491447190463917247418?client=demo HTTP/1.1",
            ],
            server.RequestLines.Select(System.Text.Encoding.Latin1.GetString));
        Assert.Equal("gold", byPc!.Attributes["tier"].Value);
        Assert.Equal("crm-1", byThirdParty!.ThirdPartyId);
        Assert.NotNull(byEcid);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public async Task GetProfileAsync_OddId_ArrivesAsExactlyTheEncodedSegment(string id, string encoded)
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(id));
        await fetch.GetProfileAsync(ProfileId.FromPcId(id));
        await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId(id));

        Assert.Equal(
            [
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/thirdPartyId/" + encoded + "?client=demo HTTP/1.1"),
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/" + encoded + "?client=demo HTTP/1.1"),
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/marketingCloudVisitorId/" + encoded + "?client=demo HTTP/1.1"),
            ],
            server.RequestLines);
    }

    [Fact]
    public async Task GetProfileAsync_WithToken_SendsTheBearerHeaderOnTheWire()
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server, o => o.AuthorizationToken = "tok-123");
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Contains("\r\nAuthorization: Bearer tok-123\r\n", Assert.Single(server.Heads), StringComparison.Ordinal);
    }

    private static ServiceProvider Services(RawHttpServer server, Action<TargetProfileUpdateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;
            o.Resilience.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The shared loopback server (raw socket, port 0 kept), answering every request with one fixed JSON and closing.</summary>
    private sealed class RawHttpServer : IAsyncDisposable
    {
        private static readonly byte[] Answer = LoopbackServer.Response(200, "application/json", CurrentShape, close: true);
        private readonly LoopbackServer _server = LoopbackServer.Start(_ => Answer);

        public Uri BaseAddress => _server.BaseAddress;

        /// <summary>Each request line as bytes, exactly as sent.</summary>
        public IEnumerable<byte[]> RequestLines => _server.Requests.Select(r => r.RequestLine);

        public IEnumerable<string> Heads => _server.Requests.Select(r => r.HeadText);

        public static RawHttpServer Start() => new();

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
