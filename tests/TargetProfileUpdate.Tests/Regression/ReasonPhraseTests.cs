using System.Net;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// Issue 9, defect 3: a 400 whose reason phrase echoed the id put that id into <c>ex.Message</c>. The message is the
/// SDK's own text; whatever the server writes stays out of it (its body is kept, redacted, in ResponseBody).
/// </summary>
public sealed class ReasonPhraseTests
{
    private static HttpResponseMessage BadRequest(string reasonPhrase) =>
        new(HttpStatusCode.BadRequest) { ReasonPhrase = reasonPhrase, Content = new StringContent("bad request") };

    [Theory]
    [InlineData(PersonalData.Id)]
    [InlineData("unknown mbox3rdPartyId=jane.doe-7731%40example.com")]
    [InlineData("Bad value Platinum Card Holder for tok-SECRET-0123456789")]
    public async Task UpdateAsync_ReasonPhraseEchoingTheIdValueOrToken_NeverReachesTheMessage(string reasonPhrase)
    {
        var handler = new RecordingHandler().Always(() => BadRequest(reasonPhrase));
        var (client, _, services) = TestClients.Create(o => o.AuthorizationToken = PersonalData.Token, handler);
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        Assert.Equal(400, ex.StatusCode);
        PersonalData.AssertAbsentFrom([ex.Message, ex.ToString()]);
    }

    [Fact]
    public async Task UpdateAsync_ServerSuppliedReasonPhrase_NeverReachesTheMessage()
    {
        const string serverText = "Zyx Server Says Qwerty";
        var handler = new RecordingHandler().Always(() => BadRequest(serverText));
        var (client, _, services) = TestClients.Create(handler: handler);
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold")));

        Assert.Equal(400, ex.StatusCode);
        Assert.DoesNotContain("Qwerty", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("HTTP 400", ex.Message, StringComparison.Ordinal);
    }
}
