using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Contract;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Contract;

/// <summary>The Admin API attribute catalog over the real account (IMS token, admin sender), with a recording handler.</summary>
public sealed class AttributeCatalogTests
{
    private const string ImsToken = "ims-SECRET-4242";
    private const string CatalogUrl = "https://mc.adobe.io/acmetenant/target/profileattributes/mbox";

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Ims() => Json("{\"access_token\":\"" + ImsToken + "\",\"token_type\":\"bearer\",\"expires_in\":86399}");

    private static (IProfileAttributeCatalog Catalog, RecordingHandler Handler, ServiceProvider Services) Create(RecordingHandler handler, TimeProvider? time = null, bool ims = true, Action<TargetProfileUpdateOptions>? configure = null) =>
        Resolve(TestClients.CreateProvider(
            handler,
            o =>
            {
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(1);
                if (ims)
                {
                    o.AdobeIms.ClientId = "client-id";
                    o.AdobeIms.ClientSecret = "client-SECRET";
                    o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
                    o.AdobeIms.Tenant = "acmetenant";
                }

                configure?.Invoke(o);
            },
            time), handler);

    private static (IProfileAttributeCatalog, RecordingHandler, ServiceProvider) Resolve(ServiceProvider services, RecordingHandler handler) =>
        (services.GetRequiredService<IProfileAttributeCatalog>(), handler, services);

    [Fact]
    public async Task GetAttributeNamesAsync_1000LookupsWithinTheTtl_Make2Calls_IncludingTheImsToken()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var handler = new RecordingHandler()
            .Then(Ims())
            .Always(() => Json("{\"mboxProfileAttributes\":[\"loyaltyTier\",\"country\",\"entity.id\"]}"));
        var (catalog, _, services) = Create(handler, time);
        using (services)
        {
            var tasks = Enumerable.Range(0, 1000).Select(_ => catalog.GetAttributeNamesAsync()).ToArray();
            var all = await Task.WhenAll(tasks);

            Assert.Equal(2, handler.Requests.Count);
            Assert.All(all, names => Assert.Equal(["country", "entity.id", "loyaltyTier"], names.Order(StringComparer.Ordinal)));

            time.Advance(TimeSpan.FromMinutes(14));
            await catalog.GetAttributeNamesAsync();
            Assert.Equal(2, handler.Requests.Count);

            time.Advance(TimeSpan.FromMinutes(2));
            await catalog.GetAttributeNamesAsync();
            Assert.Equal(3, handler.Requests.Count); // the TTL passed: the catalog again, the IMS token still cached
        }
    }

    [Fact]
    public async Task GetAttributeNamesAsync_SendsTheDocumentedRequest()
    {
        HttpRequestMessage? seen = null;
        var handler = new RecordingHandler()
            .Then(Ims())
            .Then((request, _) =>
            {
                seen = request;
                return Task.FromResult(Json("{\"mboxProfileAttributes\":[]}"));
            });
        var (catalog, _, services) = Create(handler);
        using (services)
        {
            await catalog.GetAttributeNamesAsync();

            var request = handler.Requests.Last();
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal(CatalogUrl, request.Url);
            Assert.Equal("Bearer " + ImsToken, request.Authorization);
            Assert.Equal("client-id", Assert.Single(seen!.Headers.GetValues("X-Api-Key")));
            Assert.Equal("application/vnd.adobe.target.v1+json", Assert.Single(seen.Headers.GetValues("Accept")));
        }
    }

    [Fact]
    public async Task GetAttributeNamesAsync_WithoutImsCredentials_ThrowsBeforeSendingAndNamesTheSettings()
    {
        var handler = new RecordingHandler();
        var (catalog, _, services) = Create(handler, ims: false);
        using (services)
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.GetAttributeNamesAsync());

            Assert.Contains("TargetProfileUpdate:AdobeIms:ClientId", ex.Message, StringComparison.Ordinal);
            Assert.Empty(handler.Requests);
        }
    }

    [Fact]
    public async Task GetAttributeNamesAsync_Forbidden_RefreshesTheImsTokenOnce_ThenThrowsWithAHintAndWithoutTheToken_AndIsNotCached()
    {
        var handler = new RecordingHandler()
            .Then(Ims())
            .Then(Json("{\"httpStatus\":403,\"errors\":[{\"message\":\"denied for " + ImsToken + "\"}]}", HttpStatusCode.Forbidden))
            .Then(Ims())
            .Then(Json("{\"httpStatus\":403,\"errors\":[{\"message\":\"denied for " + ImsToken + "\"}]}", HttpStatusCode.Forbidden))
            .Then(Json("{\"mboxParameters\":[\"tier\"]}"));
        var (catalog, _, services) = Create(handler);
        using (services)
        {
            var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => catalog.GetAttributeNamesAsync());
            int afterFailure = handler.Requests.Count;
            var names = await catalog.GetAttributeNamesAsync();

            Assert.Equal(4, afterFailure); // IMS, catalog, one forced IMS refresh, one resend
            Assert.Equal(AuthenticationStep.AdminApi, ex.Step);
            Assert.Equal(ProfileApiFailureReason.Authentication, ex.Reason);
            Assert.Equal(403, ex.StatusCode);
            Assert.Contains("Tenant", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ImsToken, ex.ToString() + ex.ResponseBody, StringComparison.Ordinal);
            Assert.Equal(["tier"], names);
            Assert.Equal(5, handler.Requests.Count);
        }
    }

    [Fact]
    public async Task GetAttributeNamesAsync_ServiceUnavailable_IsAnOrdinaryTransientFailure_NotAnAuthenticationOne()
    {
        var handler = new RecordingHandler()
            .Then(Ims())
            .Always(() => Json("{\"httpStatus\":503}", HttpStatusCode.ServiceUnavailable));
        var (catalog, _, services) = Create(handler, configure: o => o.Resilience.MaxRetryAttempts = 1);
        using (services)
        {
            var ex = await Assert.ThrowsAsync<ProfileApiException>(() => catalog.GetAttributeNamesAsync());

            Assert.Equal(ProfileApiFailureReason.HttpError, ex.Reason);
            Assert.Equal(503, ex.StatusCode);
            Assert.True(ex.IsTransient);
            Assert.Equal(2, ex.Attempts);
            Assert.Contains("50 admin and bulk calls per minute", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{\"mboxProfileAttributes\":[\"a\",\"b\"]}", "mboxProfileAttributes", "a,b")]
    [InlineData("{\"mboxParameters\":[\"a\",\"profile.b\"]}", "mboxParameters", "a,b")]
    [InlineData("{\"mboxProfileAttributes\":[{\"name\":\"a\",\"type\":\"string\"},{\"id\":7},\"b\",null,\"\"]}", "mboxProfileAttributes", "a,b")]
    [InlineData("{\"data\":{\"attributes\":[{\"name\":\"a\"}],\"more\":[\"b\"]},\"total\":2}", "other arrays", "a,b")]
    [InlineData("[\"a\",\"b\"]", "other arrays", "a,b")]
    [InlineData("{\"total\":0,\"note\":\"nothing here\"}", "unknown", "")]
    [InlineData("<html>oops</html>", "not JSON", "")]
    [InlineData("", "not JSON", "")]
    public void Parse_AnswerOfAnyShape_IsReadLenientlyAndNeverThrows(string body, string shape, string expected)
    {
        var (names, readShape) = AdminAttributeCatalog.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(shape, readShape);
        Assert.Equal(expected, string.Join(",", names.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Linter_WithAnEmptyCatalog_SkipsTheCatalogRule()
    {
        var linter = new ProfileAttributeLinter(ProfileLintMode.Warn, null, []);

        Assert.Empty(linter.Lint(ProfileUpdate.ForPcId("pc").Set("anything", "x")));
    }
}
