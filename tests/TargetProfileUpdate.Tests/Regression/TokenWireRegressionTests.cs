using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// Issue 19, items 1, 8 and 19 (IMS/Admin wording), on the tests' loopback server, which parses each connection's bytes
/// request after request and so records every request a connection carries, a smuggled one included:
/// what a token from any source, and what the IMS and Admin API answers, can make the SDK put on the wire.
/// </summary>
public sealed class TokenWireRegressionTests
{
    private const string Tenant = "acme";
    private const string ImsPath = "/ims/token/v3";
    private const string AdminPath = "/" + Tenant + "/target/authentication/token?authorizationScope=profile_api";

    /// <summary>The probe's token: ends the update's head, then carries a second, forged update.</summary>
    private const string Smuggling = "abc\r\nX-Injected: yes\r\nContent-Length: 0\r\n\r\nGET /smuggled?mbox3rdPartyId=victim&profile.tier=hacked HTTP/1.1\r\nHost: x\r\nX-Tail: ";

    private static readonly byte[] Submitted = Answer(200, "trueRequest successfully submitted", "text/plain");

    private static ProfileUpdate Update(int n = 1) => ProfileUpdate.ForThirdPartyId("crm-" + n).Set("tier", "gold");

    private static byte[] Answer(int status, string body, string contentType = "application/json") => LoopbackServer.Response(status, contentType, body);

    private static byte[] ImsToken(string token) =>
        Answer(200, "{\"access_token\":" + JsonSerializer.Serialize(token) + ",\"token_type\":\"bearer\",\"expires_in\":86399}");

    private static byte[] AdminToken(string token, string expiresIn = "3600", int status = 200) =>
        Answer(status, "{\"accessToken\":" + JsonSerializer.Serialize(token) + ",\"tokenType\":\"bearer\",\"scope\":\"profile_api\",\"expiresIn\":" + expiresIn + "}", "application/vnd.adobe.target.v1+json");

    private static bool IsProfileRequest(LoopbackRequest r) => r.Target.StartsWith("/m2/", StringComparison.Ordinal) || r.Target.StartsWith("/rest/", StringComparison.Ordinal);

    private static bool IsSmuggled(LoopbackRequest r) => r.Target.Contains("smuggled", StringComparison.Ordinal) || r.HeadText.Contains("X-Injected", StringComparison.OrdinalIgnoreCase);

    private static ServiceProvider Services(LoopbackServer server, FakeTimeProvider time, Action<TargetProfileUpdateOptions>? configure = null, Func<IServiceProvider, IProfileApiTokenProvider>? tokens = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var builder = services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;

            // The clock is fake: no flow here may wait for a retry delay.
            o.Resilience.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        });
        if (tokens is not null)
        {
            builder.AddTokenProvider(tokens);
        }

        return services.BuildServiceProvider();
    }

    private static void UseIms(TargetProfileUpdateOptions o, LoopbackServer server)
    {
        o.AdobeIms.ClientId = "client-id";
        o.AdobeIms.ClientSecret = "client-SECRET";
        o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
        o.AdobeIms.Tenant = Tenant;
        o.AdobeIms.ImsTokenEndpoint = new Uri(server.BaseAddress, "ims/token/v3");
        o.AdobeIms.AdminApiBaseAddress = server.BaseAddress;
    }

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    private static void AssertNothingSecretIn(ProfileApiException ex)
    {
        Assert.DoesNotContain("abc", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("victim", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The rig's own proof: the server does see a request smuggled into another's bytes, as its own request on the
    /// same connection, so "no smuggled request arrived" below means something.</summary>
    [Fact]
    public async Task LoopbackServer_RequestSmuggledIntoAnAuthorizationHeader_IsRecordedAsASecondRequestOnTheConnection()
    {
        await using var server = LoopbackServer.Start(_ => Submitted);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, timeout.Token);
        var stream = client.GetStream();

        // What a client that does not check the token writes.
        await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes("GET /m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.tier=gold HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Smuggling + "\r\n\r\n"), timeout.Token);
        var answers = new List<byte>();
        var buffer = new byte[4096];
        while (System.Text.Encoding.ASCII.GetString([.. answers]).Split("HTTP/1.1 200").Length < 3)
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "The server closed the connection.");
            answers.AddRange(buffer.AsSpan(0, read));
        }

        Assert.Collection(
            server.Requests,
            first => Assert.Equal("GET /m2/demo/profile/update?mbox3rdPartyId=crm-1&profile.tier=gold HTTP/1.1", first.RequestLineText),
            second =>
            {
                Assert.Equal("GET /smuggled?mbox3rdPartyId=victim&profile.tier=hacked HTTP/1.1", second.RequestLineText);
                Assert.True(IsSmuggled(second));
                Assert.Equal(1, second.Connection);
            });
    }

    /// <summary>Item 1 (a): a custom token provider's token with CR/LF is refused as an authentication failure of the token
    /// provider, and nothing at all reaches the socket; the same client with a clean token does send, with the header.</summary>
    [Fact]
    public async Task CustomTokenProvider_TokenWithCrLf_IsRefused_AndNoRequestReachesTheSocket()
    {
        await using var server = LoopbackServer.Start(_ => Submitted);
        var provider = new SwitchableProvider(Smuggling);
        using var services = Services(server, Clock(), tokens: _ => provider);
        var client = services.GetRequiredService<IProfileUpdateClient>();
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var updateError = await Record.ExceptionAsync(() => client.UpdateAsync(Update()));
        var fetchError = await Record.ExceptionAsync(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));

        // The wire first: what reached the socket is the defect, the exception its report.
        Assert.DoesNotContain(server.Requests, IsSmuggled);
        Assert.DoesNotContain(server.Requests, IsProfileRequest);
        var update = Assert.IsType<ProfileApiAuthenticationException>(updateError);
        var fetched = Assert.IsType<ProfileApiAuthenticationException>(fetchError);
        Assert.Equal(AuthenticationStep.TokenProvider, update.Step);
        Assert.Equal(AuthenticationStep.TokenProvider, fetched.Step);
        Assert.Null(update.StatusCode);
        Assert.Equal(0, update.Attempts);
        AssertNothingSecretIn(update);
        Assert.Empty(server.Requests);
        Assert.Equal(0, server.Accepted);

        provider.Token = "clean-token";
        await client.UpdateAsync(Update());

        var sent = Assert.Single(server.Requests);
        Assert.StartsWith("GET /m2/demo/profile/update?", sent.RequestLineText, StringComparison.Ordinal);
        Assert.Equal("Bearer clean-token", sent.Header("Authorization"));
    }

    /// <summary>A custom token provider that gave an empty token (an unset environment variable, an empty vault entry) made the
    /// SDK send the update with no <c>Authorization</c> at all, as if authentication were off: the misconfiguration was
    /// silently "corrected". Empty and whitespace tokens are refused like any unsendable token; <see cref="ProfileApiToken.None"/>
    /// (a null value) still means "no token" on purpose.</summary>
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task CustomTokenProvider_EmptyToken_IsRefused_NotSentWithoutAuthorization(string token)
    {
        await using var server = LoopbackServer.Start(_ => Submitted);
        var provider = new SwitchableProvider(token);
        using var services = Services(server, Clock(), tokens: _ => provider);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var error = await Record.ExceptionAsync(() => client.UpdateAsync(Update()));

        Assert.Empty(server.Requests);
        var refused = Assert.IsType<ProfileApiAuthenticationException>(error);
        Assert.Equal(AuthenticationStep.TokenProvider, refused.Step);
        Assert.Contains("empty", refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ProfileApiToken.None), refused.Message, StringComparison.Ordinal);

        provider.Token = null;
        await client.UpdateAsync(Update());

        var sent = Assert.Single(server.Requests);
        Assert.Null(sent.Header("Authorization"));
    }

    /// <summary>Item 1 (b): an IMS answer's <c>access_token</c> with CR/LF would have gone into the Admin API call's
    /// <c>Authorization</c>. It is refused as an IMS failure: IMS's request is the only one on the wire.</summary>
    [Fact]
    public async Task ImsAnswer_AccessTokenWithCrLf_IsRefused_AndNeitherTheAdminCallNorASmuggledRequestIsSent()
    {
        await using var server = LoopbackServer.Start(r => r.Target == ImsPath ? ImsToken(Smuggling) : r.Target == AdminPath ? AdminToken("profile-token") : Submitted);
        using var services = Services(server, Clock(), o => UseIms(o, server));
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var error = await Record.ExceptionAsync(() => client.UpdateAsync(Update()));

        Assert.DoesNotContain(server.Requests, IsSmuggled);
        Assert.DoesNotContain(server.Requests, IsProfileRequest);
        var only = Assert.Single(server.Requests);
        Assert.Equal("POST " + ImsPath + " HTTP/1.1", only.RequestLineText);
        var ex = Assert.IsType<ProfileApiAuthenticationException>(error);
        Assert.Equal(AuthenticationStep.Ims, ex.Step);
        AssertNothingSecretIn(ex);
    }

    /// <summary>Item 1 (c): an Admin API answer's <c>accessToken</c> with CR/LF would have gone into every profile request.
    /// It is refused as an Admin API failure: no profile request and no smuggled request reach the socket.</summary>
    [Fact]
    public async Task AdminAnswer_AccessTokenWithCrLf_IsRefused_AndNoProfileRequestNorSmuggledRequestIsSent()
    {
        await using var server = LoopbackServer.Start(r => r.Target == ImsPath ? ImsToken("ims-token") : r.Target == AdminPath ? AdminToken(Smuggling) : Submitted);
        using var services = Services(server, Clock(), o => UseIms(o, server));
        var client = services.GetRequiredService<IProfileUpdateClient>();
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var updateError = await Record.ExceptionAsync(() => client.UpdateAsync(Update()));
        var fetchError = await Record.ExceptionAsync(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));

        Assert.DoesNotContain(server.Requests, IsSmuggled);
        Assert.DoesNotContain(server.Requests, IsProfileRequest);
        Assert.Equal(["POST " + ImsPath + " HTTP/1.1", "GET " + AdminPath + " HTTP/1.1"], server.Requests.Select(r => r.RequestLineText));
        Assert.Equal("Bearer ims-token", server.Requests.Last().Header("Authorization"));
        var ex = Assert.IsType<ProfileApiAuthenticationException>(updateError);
        var fetched = Assert.IsType<ProfileApiAuthenticationException>(fetchError);
        Assert.Equal(AuthenticationStep.AdminApi, ex.Step);
        Assert.Equal(AuthenticationStep.AdminApi, fetched.Step);
        AssertNothingSecretIn(ex);
    }

    /// <summary>
    /// Item 8: with <c>CreateTokenIfMissing</c>, the Admin API's POST answer was trusted. An empty body threw a
    /// <see cref="NullReferenceException"/> and sent a token-rotating POST on every later call; <c>{"expiresIn":3600}</c>
    /// cached "no token" for an hour and sent updates without <c>Authorization</c>. Now: 200 concurrent callers, one GET and
    /// at most one POST, every caller gets an Admin API authentication failure, the failure is remembered (a second burst
    /// sends nothing), no profile request is ever sent without the header, and once the failure is forgotten a good answer
    /// is used.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("{\"expiresIn\":3600}")]
    [InlineData("{\"accessToken\":\"\",\"expiresIn\":3600}")]
    [InlineData("null")]
    public async Task CreateTokenIfMissing_PostAnswerWithoutAToken_IsRefusedOnce_ForEveryConcurrentCaller_AndNoUpdateGoesOutWithoutAuthorization(string postAnswer)
    {
        byte[] post = Answer(201, postAnswer, "application/vnd.adobe.target.v1+json");
        await using var server = LoopbackServer.Start(r =>
            r.Target == ImsPath ? ImsToken("ims-token")
            : r.Target == AdminPath && r.Method == "GET" ? Answer(404, "{\"httpStatus\":404,\"errors\":[]}")
            : r.Target == AdminPath ? Volatile.Read(ref post)
            : Submitted);
        var time = Clock();
        using var services = Services(server, time, o =>
        {
            UseIms(o, server);
            o.AdobeIms.CreateTokenIfMissing = true;
        });
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var burst = Enumerable.Range(0, 200).Select(i => Task.Run(() => client.UpdateAsync(Update(i)))).ToList();
        var outcomes = await Task.WhenAll(burst.Select(async t =>
        {
            try
            {
                await t;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }));

        Assert.All(outcomes, e =>
        {
            var auth = Assert.IsType<ProfileApiAuthenticationException>(e);
            Assert.Equal(AuthenticationStep.AdminApi, auth.Step);
        });
        Assert.Equal(1, server.Requests.Count(r => r.Method == "POST" && r.Target == AdminPath));
        Assert.Equal(1, server.Requests.Count(r => r.Method == "GET" && r.Target == AdminPath));
        Assert.Equal(1, server.Requests.Count(r => r.Target == ImsPath));
        Assert.DoesNotContain(server.Requests, IsProfileRequest);

        // The failure is remembered: a second burst sends nothing at all.
        int before = server.Requests.Count;
        var second = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => client.UpdateAsync(Update()));
        Assert.Equal(AuthenticationStep.AdminApi, second.Step);
        Assert.Equal(before, server.Requests.Count);

        // Once forgotten, the next call asks again (once), and a good answer is used, with the header on the wire.
        Volatile.Write(ref post, AdminToken("created-token", status: 201));
        time.Advance(TimeSpan.FromSeconds(6));
        await client.UpdateAsync(Update());

        var profile = Assert.Single(server.Requests, IsProfileRequest);
        Assert.Equal("Bearer created-token", profile.Header("Authorization"));
        Assert.Equal(2, server.Requests.Count(r => r.Method == "POST" && r.Target == AdminPath));
    }

    /// <summary>Item 19 (IMS/Admin wording): an Admin API answer that was refused after it arrived reported
    /// <c>Attempts = 0</c>, as if nothing had been sent.</summary>
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("null")]
    [InlineData("\"NaN\"")]
    [InlineData("40000000")]
    public async Task AdminAnswer_RefusedAfterItArrived_ReportsTheAttemptThatWasSent(string expiresIn)
    {
        await using var server = LoopbackServer.Start(r => r.Target == ImsPath ? ImsToken("ims-token") : r.Target == AdminPath ? AdminToken("profile-token", expiresIn) : Submitted);
        using var services = Services(server, Clock(), o => UseIms(o, server));
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => client.UpdateAsync(Update()));

        Assert.Equal(AuthenticationStep.AdminApi, ex.Step);
        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, server.Requests.Count(r => r.Target == AdminPath));
        Assert.DoesNotContain(server.Requests, IsProfileRequest);
    }

    [Fact]
    public async Task AdminAnswer_TokenWithCrLf_ReportsTheAttemptThatWasSent()
    {
        await using var server = LoopbackServer.Start(r => r.Target == ImsPath ? ImsToken("ims-token") : r.Target == AdminPath ? AdminToken(Smuggling) : Submitted);
        using var services = Services(server, Clock(), o => UseIms(o, server));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => services.GetRequiredService<IProfileUpdateClient>().UpdateAsync(Update()));

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
    }

    /// <summary>Item 19 (IMS/Admin wording): an IMS answer over 4 KB says it is too large, not "not the expected JSON".</summary>
    [Fact]
    public async Task ImsAnswer_Over4KB_SaysTooLarge_NotUnexpectedJson()
    {
        string large = "{\"access_token\":\"ims-token\",\"token_type\":\"bearer\",\"expires_in\":86399,\"padding\":\"" + new string('x', 5000) + "\"}";
        await using var server = LoopbackServer.Start(r => r.Target == ImsPath ? Answer(200, large) : Submitted);
        using var services = Services(server, Clock(), o => UseIms(o, server));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => services.GetRequiredService<IProfileUpdateClient>().UpdateAsync(Update()));

        Assert.Equal(AuthenticationStep.Ims, ex.Step);
        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not the expected JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(200, ex.StatusCode);
        Assert.Single(server.Requests);
    }

    private sealed class SwitchableProvider(string? token) : IProfileApiTokenProvider
    {
        public string? Token { get; set; } = token;

        public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) =>
            new(new ProfileApiToken(Token, DateTimeOffset.MaxValue));
    }
}
