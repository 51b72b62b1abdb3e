using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.Tests.Update;

/// <summary>
/// Issue 9: POST bodies went out as <c>application/x-www-form-urlencoded</c> without a charset, which a servlet container
/// with default settings decodes as ISO-8859-1. Checked on the shared loopback server (a raw socket), so the header is seen exactly as sent.
/// </summary>
public sealed class FormContentWireTests
{
    [Fact]
    public async Task Post_ContentTypeOnTheWire_DeclaresUtf8()
    {
        await using var server = LoopbackServer.Start(_ => LoopbackServer.Response(200, "text/plain", "trueRequest successfully submitted", close: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var options = new TargetProfileUpdateOptions
        {
            ClientCode = "demo",
            BaseAddress = server.BaseAddress,
            Method = ProfileUpdateMethod.Post,
        };
        using var client = new ProfileUpdateClient(options);

        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("city", "Zürich"), timeout.Token);
        var request = Assert.Single(server.Requests);

        Assert.Equal(HttpMethod.Post, result.HttpMethod);
        Assert.StartsWith("POST /m2/demo/profile/update HTTP/1.1\r\n", request.HeadText, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n", request.HeadText, StringComparison.Ordinal);
        Assert.Equal("mbox3rdPartyId=crm-1&profile.city=Z%C3%BCrich"u8.ToArray(), request.Body);
    }
}
