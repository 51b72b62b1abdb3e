using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.SharedTestSupport;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// A malformed answer head or chunk made SocketsHttpHandler throw with the offending bytes quoted in its message
/// ("Received an invalid header line: 'X-Echo jane.doe-7731@example.com'", or the chunk size line as hex bytes), and the
/// SDK kept that exception as the <see cref="ProfileApiException"/>'s inner exception: the id, a value or the token a
/// server echoed reached <c>ex.ToString()</c> (and every log line or trace that records the exception).
/// </summary>
public sealed class TransportErrorTextTests
{
    private const string HeaderLineEchoingTheId = "HTTP/1.1 400 Bad Request\r\nX-Echo " + PersonalData.Id + "\r\nContent-Length: 0\r\n\r\n";

    public static TheoryData<string> MalformedAnswers => new()
    {
        HeaderLineEchoingTheId,
        "HTTP/1.1 400 Bad Request\r\nX-Echo " + PersonalData.Value + " " + PersonalData.Token + "\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 400 Bad Request\r\n" + PersonalData.Id + " X: y\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + PersonalData.Id + "\r\n",
    };

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task UpdateAsync_MalformedAnswerQuotingTheIdValueOrToken_ExceptionCarriesNoneOfIt(string answer)
    {
        await using var server = LoopbackServer.Start(_ => System.Text.Encoding.Latin1.GetBytes(answer));
        using var services = Services(server);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        Assert.Equal(ProfileApiFailureReason.ConnectionFailure, ex.Reason);
        AssertNoServerText(ex);
    }

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task GetProfileAsync_MalformedAnswerQuotingTheId_ExceptionCarriesNoneOfIt(string answer)
    {
        await using var server = LoopbackServer.Start(_ => System.Text.Encoding.Latin1.GetBytes(answer));
        using var services = Services(server);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId(PersonalData.Id)));

        AssertNoServerText(ex);
    }

    [Fact]
    public async Task UpdateAsync_MalformedAnswer_InnerExceptionKeepsItsTypeAndErrorCode()
    {
        await using var server = LoopbackServer.Start(_ => System.Text.Encoding.Latin1.GetBytes(HeaderLineEchoingTheId));
        using var services = Services(server);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        var inner = Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(HttpRequestError.InvalidResponse, inner.HttpRequestError);
        Assert.True(ex.IsTransient);
    }

    private static void AssertNoServerText(ProfileApiException ex)
    {
        string text = ex.ToString();
        PersonalData.AssertAbsentFrom([text]);

        // The chunk size line is quoted as its bytes in hex ("6A-61-6E-65-…"), in either case, with or without dashes.
        string hex = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(PersonalData.Id));
        Assert.DoesNotContain(hex[..16], text.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Echo", text, StringComparison.OrdinalIgnoreCase);
    }

    private static ServiceProvider Services(LoopbackServer server)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;
            o.AuthorizationToken = PersonalData.Token;
            o.Resilience.MaxRetryAttempts = 0;
        });
        return services.BuildServiceProvider();
    }
}
