using System.Net;
using TargetProfileUpdate.Tests.TestSupport;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>The exact request the fetch client sends: method, raw URL, one encoded path segment, the token.</summary>
public sealed class FetchRequestTests
{
    public static TheoryData<string, string> Odd => OddIds;

    [Fact]
    public async Task GetProfileAsync_PcId_SendsGetToTheTntIdPath()
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromPcId("1368007744041-575948.01_00"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://demo.tt.omtrdc.net/rest/v1/profiles/1368007744041-575948.01_00?client=demo", request.Url);
        Assert.Empty(request.Body);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task GetProfileAsync_ThirdPartyId_SendsGetToTheThirdPartyIdPath()
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://demo.tt.omtrdc.net/rest/v1/profiles/thirdPartyId/crm-1?client=demo", request.Url);
    }

    [Fact]
    public async Task GetProfileAsync_MarketingCloudVisitorId_SendsGetToTheEcidPath()
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("65453743417542776491447190463917247418"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://demo.tt.omtrdc.net/rest/v1/profiles/marketingCloudVisitorId/65453743417542776491447190463917247418?client=demo", request.Url);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public async Task GetProfileAsync_OddThirdPartyId_IsEncodedAsOnePathSegment(string id, string encoded)
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(id));

        Assert.Equal(ProfilesUrl + "thirdPartyId/" + encoded + "?client=demo", Assert.Single(handler.Requests).Url);
        Assert.Equal(Uri.EscapeDataString(id), encoded);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public async Task GetProfileAsync_OddPcIdAndEcid_AreEncodedAsOnePathSegment(string id, string encoded)
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromPcId(id));
        await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId(id));

        Assert.Equal(
            [ProfilesUrl + encoded + "?client=demo", ProfilesUrl + "marketingCloudVisitorId/" + encoded + "?client=demo"],
            handler.Requests.Select(r => r.Url));
    }

    [Fact]
    public async Task GetProfileAsync_OddId_ReachesTheTransportWithoutUnescaping()
    {
        Uri? seen = null;
        var handler = new RecordingHandler().Then((request, _) =>
        {
            seen = request.RequestUri;
            return Task.FromResult(Json(CurrentShape));
        });
        var (fetch, _, _, _) = Create(handler: handler);

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("a/b?c#d%e"));

        Assert.NotNull(seen);
        Assert.Equal("/rest/v1/profiles/thirdPartyId/a%2Fb%3Fc%23d%25e", seen.AbsolutePath);
        Assert.Equal("?client=demo", seen.Query);
        Assert.Equal(string.Empty, seen.Fragment);
    }

    [Fact]
    public async Task GetProfileAsync_WithToken_SendsBearerAuthorization()
    {
        var (fetch, _, handler, _) = Create(o => o.AuthorizationToken = "tok-123", new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Equal("Bearer tok-123", Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task GetProfileAsync_OtherClientCodeAndBaseAddress_AreUsed()
    {
        var (fetch, _, handler, _) = Create(
            o => { o.ClientCode = "acme"; o.BaseAddress = new Uri("https://edge.example.test/"); },
            new RecordingHandler().Always(() => Json(CurrentShape)));

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Equal("https://edge.example.test/rest/v1/profiles/thirdPartyId/crm-1?client=acme", Assert.Single(handler.Requests).Url);
    }

    [Fact]
    public async Task GetProfileAsync_NullId_ThrowsBeforeSending()
    {
        var (fetch, _, handler, _) = Create();

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => fetch.GetProfileAsync(null!));

        Assert.Equal("id", ex.ParamName);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetProfileAsync_NotFound_ReturnsNull()
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(NotFound, HttpStatusCode.NotFound)));

        var profile = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Null(profile);
        Assert.Single(handler.Requests);
    }
}
