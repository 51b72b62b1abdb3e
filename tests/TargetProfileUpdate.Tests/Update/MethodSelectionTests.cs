using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Update;

public sealed class MethodSelectionTests
{
    private static ProfileUpdate Update(int valueLength) => ProfileUpdate.ForThirdPartyId("crm-1").Set("notes", new string('x', valueLength));

    // "https://demo.tt.omtrdc.net/m2/demo/profile/update" + "?" + "mbox3rdPartyId=crm-1" + "&profile.notes=" + value
    private static int UrlLength(int valueLength) => TestClients.UpdateUrl.Length + 1 + "mbox3rdPartyId=crm-1&profile.notes=".Length + valueLength;

    [Fact]
    public async Task UpdateAsync_WhenUrlIsExactlyTheGetLimit_UsesGet()
    {
        var (client, handler, _) = TestClients.Create(o => o.MaxGetRequestBytes = UrlLength(100));

        var result = await client.UpdateAsync(Update(100));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(UrlLength(100), request.Url.Length);
        Assert.Equal(HttpMethod.Get, result.HttpMethod);
        Assert.Equal(UrlLength(100), result.RequestBytes);
    }

    [Fact]
    public async Task UpdateAsync_WhenUrlIsOneByteOverTheGetLimit_UsesPostWithTheSameEncodedForm()
    {
        var (client, handler, _) = TestClients.Create(o => o.MaxGetRequestBytes = UrlLength(100) - 1);

        var result = await client.UpdateAsync(Update(100));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(TestClients.UpdateUrl, request.Url);
        Assert.Equal("application/x-www-form-urlencoded; charset=UTF-8", request.ContentType);
        Assert.Equal("mbox3rdPartyId=crm-1&profile.notes=" + new string('x', 100), request.BodyText);
        Assert.Equal(HttpMethod.Post, result.HttpMethod);
        Assert.Equal(request.Body.Length, result.RequestBytes);
    }

    [Fact]
    public async Task UpdateAsync_DefaultLimits_SwitchToPostJustAbove8000UrlBytes()
    {
        var (client, handler, _) = TestClients.Create();
        int fits = 8000 - UrlLength(0);

        await client.UpdateAsync(Update(fits));
        await client.UpdateAsync(Update(fits + 1));

        Assert.Equal([HttpMethod.Get, HttpMethod.Post], handler.Requests.Select(r => r.Method));
        Assert.Equal(8000, handler.Requests.First().Url.Length);
    }

    [Fact]
    public async Task UpdateAsync_PostBodyExactlyAtLimit_IsSentAndOneOver_IsRefusedBeforeSending()
    {
        int bodyAt = "mbox3rdPartyId=crm-1&profile.notes=".Length + 500;
        var (client, handler, _) = TestClients.Create(o => { o.MaxGetRequestBytes = 100; o.MaxPostRequestBytes = bodyAt; });

        await client.UpdateAsync(Update(500));
        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => client.UpdateAsync(Update(501)));

        Assert.Single(handler.Requests);
        Assert.Equal(bodyAt + 1, ex.ActualBytes);
        Assert.Equal(bodyAt, ex.AllowedBytes);
        Assert.Equal(0, ex.Attempts);
        Assert.Contains("POST limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_MultiByteValues_AreCountedAsEncodedBytes()
    {
        // "é" is 2 UTF-8 bytes, 6 encoded characters on the wire.
        var (client, handler, _) = TestClients.Create(o => o.MaxGetRequestBytes = UrlLength(6 * 10));

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("notes", new string('é', 10)));
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("notes", new string('é', 10) + "x"));

        Assert.Equal([HttpMethod.Get, HttpMethod.Post], handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task UpdateAsync_ForcedGetOverItsLimit_ThrowsAndSendsNothing()
    {
        var (client, handler, _) = TestClients.Create(o => { o.Method = ProfileUpdateMethod.Get; o.MaxGetRequestBytes = UrlLength(10); });

        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => client.UpdateAsync(Update(11)));

        Assert.Empty(handler.Requests);
        Assert.Equal(UrlLength(11), ex.ActualBytes);
        Assert.Equal(UrlLength(10), ex.AllowedBytes);
        Assert.Contains("GET limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_ForcedPost_PostsEvenASmallUpdate()
    {
        var (client, handler, _) = TestClients.Create(o => o.Method = ProfileUpdateMethod.Post);

        await client.UpdateAsync(ProfileUpdate.ForPcId("1368007744041-575948.01_00").Set("attr", "0").Set("attr2", "1"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("mboxPC=1368007744041-575948.01_00&profile.attr=0&profile.attr2=1", request.BodyText);
    }

    [Fact]
    public async Task UpdateAsync_PostBody_UsesTheSameEncodingAsTheQuery()
    {
        var (client, handler, _) = TestClients.Create(o => o.Method = ProfileUpdateMethod.Post);

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a b").Set("v", "café & 😀+"));

        Assert.Equal("mbox3rdPartyId=a%20b&profile.v=caf%C3%A9%20%26%20%F0%9F%98%80%2B", Assert.Single(handler.Requests).BodyText);
    }

    [Fact]
    public async Task UpdateAsync_UpdateWithoutAttributes_ThrowsAndSendsNothing()
    {
        var (client, handler, _) = TestClients.Create();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateAsync(ProfileUpdate.ForPcId("pc")));

        Assert.Equal("update", ex.ParamName);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task UpdateAsync_NullUpdate_ThrowsArgumentNullException()
    {
        var (client, _, _) = TestClients.Create();

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.UpdateAsync(null!));
    }
}
