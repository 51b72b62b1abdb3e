using System.Net;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Http;

/// <summary>
/// Issue 9: the text form was read in any casing (<c>TRUE…</c>, <c>trueFALSE</c>) while the XML form needed exactly
/// <c>true</c>. Both are now exact and case-sensitive, as the documented body is.
/// </summary>
public sealed class ResponseParserTests
{
    private static SuccessVerdict Parse(string body, out string message) => SuccessAnswer.Parse(System.Text.Encoding.UTF8.GetBytes(body), out message);

    [Theory]
    [InlineData("TRUERequest successfully submitted")]
    [InlineData("TrueRequest successfully submitted")]
    [InlineData("tRUERequest successfully submitted")]
    [InlineData("TRUE")]
    [InlineData("trueFALSE")]
    [InlineData("truefalse")]
    [InlineData("trueFalse: invalid request")]
    [InlineData("trueTRUERequest successfully submitted")]
    [InlineData("<response><success>TRUE</success><message>Request successfully submitted</message></response>")]
    [InlineData("<response><success>True</success></response>")]
    [InlineData("<response><SUCCESS>true</SUCCESS></response>")]
    [InlineData("<response><success>true</success><success>false</success></response>")]
    public void Parser_BadCasingOrContradictoryVerdict_IsNotAccepted(string body)
    {
        Assert.NotEqual(SuccessVerdict.Accepted, Parse(body, out _));
    }

    [Theory]
    [InlineData("FALSEInvalid request")]
    [InlineData("FalseInvalid request")]
    [InlineData("falseTRUE")]
    [InlineData("<response><success>FALSE</success></response>")]
    public void Parser_BadCasingOfFalse_IsUnrecognizedNotARejection(string body)
    {
        Assert.Equal(SuccessVerdict.Unrecognized, Parse(body, out _));
    }

    [Theory]
    [InlineData("trueRequest successfully submitted", "Request successfully submitted")]
    [InlineData("true", "")]
    [InlineData(" true Queued\r\n", "Queued")]
    [InlineData("<response><success> true </success><pcId/><message>Request successfully submitted</message></response>", "Request successfully submitted")]
    public void Parser_ExactTrue_IsAccepted(string body, string message)
    {
        Assert.Equal(SuccessVerdict.Accepted, Parse(body, out string parsed));
        Assert.Equal(message, parsed);
    }

    [Theory]
    [InlineData("falseInvalid request", "Invalid request")]
    [InlineData("<response><success>false</success><message>Invalid request</message></response>", "Invalid request")]
    public void Parser_ExactFalse_IsARejection(string body, string message)
    {
        Assert.Equal(SuccessVerdict.Rejected, Parse(body, out string parsed));
        Assert.Equal(message, parsed);
    }

    [Theory]
    [InlineData("TRUERequest successfully submitted")]
    [InlineData("trueFALSE")]
    public async Task UpdateAsync_UppercaseOrContradictoryTrueBody_IsNotASuccess(string body)
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.OK, body));
        var (client, _, services) = TestClients.Create(handler: handler);
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold")));

        Assert.Equal(200, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Equal(1, ex.Attempts);
    }
}
