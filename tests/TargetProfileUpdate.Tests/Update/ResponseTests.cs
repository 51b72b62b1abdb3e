using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Update;

public sealed class ResponseTests
{
    private static ProfileUpdate Update() => ProfileUpdate.ForThirdPartyId("crm-7731").Set("tier", "platinum");

    private static IProfileUpdateClient ClientAnswering(HttpStatusCode status, string body, string mediaType = "text/plain")
    {
        var mock = new MockHttpMessageHandler();
        mock.When(TestClients.UpdateUrl + "*").Respond(status, mediaType, body);
        return TestClients.CreateProvider(mock, o => o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(1)).GetRequiredService<IProfileUpdateClient>();
    }

    [Theory]
    [InlineData("trueRequest successfully submitted", "Request successfully submitted")]
    [InlineData("  trueRequest successfully submitted\n", "Request successfully submitted")]
    [InlineData("<response><success>true</success><pcId/><message>Request successfully submitted</message></response>", "Request successfully submitted")]
    [InlineData("<?xml version=\"1.0\"?>\n<response>\n <success>true</success>\n <pcId>1-2.01_00</pcId>\n <message>Queued</message>\n</response>", "Queued")]
    [InlineData("\uFEFFtrueRequest successfully submitted", "Request successfully submitted")]
    public async Task UpdateAsync_SuccessBody_ReturnsTheServersMessage(string body, string message)
    {
        var result = await ClientAnswering(HttpStatusCode.OK, body).UpdateAsync(Update());

        Assert.Equal(message, result.Message);
        Assert.Equal(1, result.Attempts);
    }

    [Theory]
    [InlineData("falseInvalid request")]
    [InlineData("<response><success>false</success><message>Invalid request</message></response>")]
    [InlineData("")]
    [InlineData("<!DOCTYPE html><html><body>Maintenance</body></html>")]
    [InlineData("OK")]
    public async Task UpdateAsync_2xxWithoutSuccessBody_IsNeverASuccess(string body)
    {
        var client = ClientAnswering(HttpStatusCode.OK, body);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Equal(200, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_ErrorBodyEchoingTheId_IsNotKept()
    {
        string body = "No profile found for client demo with third party id=crm-7731 tier platinum " + new string('.', 2000);
        var client = ClientAnswering(HttpStatusCode.NotFound, body);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Equal(404, ex.StatusCode);
        Assert.Null(ex.ResponseBody); // free text in no documented shape: nothing of it is kept (docs/adr/0004)
        Assert.DoesNotContain("platinum", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("crm-7731", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_403_IsNotTransientAndHintsAtTheToken()
    {
        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => ClientAnswering(HttpStatusCode.Forbidden, "Forbidden").UpdateAsync(Update()));

        Assert.Equal(403, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("AuthorizationToken", ex.Message, StringComparison.Ordinal);
    }
}
