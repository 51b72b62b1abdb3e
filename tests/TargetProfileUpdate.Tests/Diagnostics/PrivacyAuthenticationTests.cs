using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Diagnostics;

/// <summary>
/// The client secret, the IMS token, the profile token and the fetched id, across success, refresh, rotation and failure
/// (the attribute catalog's Admin API call included),
/// with Trace logging on every category, the SDK's activities and its metrics listened to: none of them appears anywhere,
/// in raw, %XX, + or JSON-escaped form. The fake servers echo every secret back in their error bodies.
/// </summary>
public sealed class PrivacyAuthenticationTests : IDisposable
{
    private const string ClientSecret = "cl1ent+Secret/=&ü x";
    private const string ImsToken = "ims-TOKEN+/=ab9";
    private const string ProfileToken1 = "prof-TOKEN+/=one";
    private const string ProfileToken2 = "prof-TOKEN+/=two";
    private const string FetchId = "jane.doe-7731@example.com/ü";

    private readonly FakeLoggerProvider _logs = FakeLogs.Provider();
    private readonly ConcurrentQueue<string> _telemetry = new();
    private readonly ActivityListener _activities;

    public PrivacyAuthenticationTests()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("TargetProfileUpdate", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _telemetry.Enqueue(a.DisplayName + " " + a.StatusDescription + " " + string.Join(";", a.TagObjects.Select(t => t.Key + "=" + t.Value))
                + string.Join(";", a.Events.Select(e => e.Name + string.Join(",", e.Tags.Select(t => t.Key + "=" + t.Value))))),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    [Fact]
    public async Task SuccessRefreshRotationAndFailure_NeverShowTheSecretTheTokensOrTheFetchedId()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var adobe = new FakeAdobe();
        await using var provider = TestClients.CreateProvider(
            adobe,
            o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.AdobeIms.ClientId = "client-1";
                o.AdobeIms.ClientSecret = ClientSecret;
                o.AdobeIms.Scopes = "openid,target_sdk";
                o.AdobeIms.Tenant = "acme";
            },
            time,
            _logs,
            services: s => s.AddMetrics());
        using var metrics = new SdkMetrics(provider);
        var update = provider.GetRequiredService<IProfileUpdateClient>();
        var fetch = provider.GetRequiredService<IProfileFetchClient>();
        var errors = new List<Exception>();
        async Task Try(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception ex)
            {
                errors.Add(ex);
            }
        }

        // Success: update and fetch.
        await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));
        Assert.NotNull(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(FetchId)));
        var catalog = provider.GetRequiredService<IProfileAttributeCatalog>();
        Assert.Equal(["tier"], await catalog.GetAttributeNamesAsync());

        // Refresh inside the skew fails (the cached token is kept, a warning is logged), then expiry and a silent refresh.
        time.Advance(TimeSpan.FromMinutes(56));
        adobe.ImsStatus = HttpStatusCode.InternalServerError;
        await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));
        adobe.ImsStatus = HttpStatusCode.OK;
        time.Advance(TimeSpan.FromMinutes(10));
        await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));

        // Rotation by someone else: 403, one forced refresh, success.
        adobe.Current = ProfileToken2;
        await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));
        Assert.NotNull(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(FetchId)));

        // Failures: a profile endpoint that refuses every token, a fetch that finds nothing, the Admin API and IMS refusing.
        adobe.RefuseAll = true;
        await Try(() => update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold")));
        await Try(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId(FetchId)));
        adobe.RefuseAll = false;
        adobe.ProfileMissing = true;
        Assert.Null(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(FetchId)));
        time.Advance(TimeSpan.FromHours(2));
        adobe.AdminStatus = HttpStatusCode.Unauthorized;
        await Try(() => update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold")));
        adobe.AdminStatus = HttpStatusCode.OK;
        adobe.ImsStatus = HttpStatusCode.Unauthorized;
        time.Advance(TimeSpan.FromHours(2));
        await Try(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId(FetchId)));

        // The attribute catalog refused by the Admin API (after one fresh IMS token and one resend).
        adobe.ImsStatus = HttpStatusCode.OK;
        adobe.CatalogStatus = HttpStatusCode.Forbidden;
        await Try(() => catalog.GetAttributeNamesAsync());

        Assert.Equal(5, errors.Count);
        Assert.Equal(403, Assert.IsType<ProfileApiAuthenticationException>(errors[0]).StatusCode);
        Assert.Equal([AuthenticationStep.ProfileEndpoint, AuthenticationStep.AdminApi, AuthenticationStep.Ims, AuthenticationStep.AdminApi],
            errors.Skip(1).Select(e => (e as ProfileApiAuthenticationException ?? (ProfileApiAuthenticationException)e.InnerException!).Step));
        Assert.Contains(_logs.Collector.GetSnapshot(), e => e.Id.Name == "ProfileApiTokenRefreshFailed");
        Assert.True(adobe.ImsCalls >= 3 && adobe.AdminCalls >= 3, "every flow ran");
        Assert.Equal(3, adobe.CatalogCalls);
        Assert.Contains(adobe.Seen, s => s.Contains(ProfileToken2, StringComparison.Ordinal)); // the secrets really were on the wire
        Assert.NotEmpty(_telemetry);
        var measurements = metrics.Measurements;
        Assert.Contains(measurements, m => m.Instrument == "target.profile_fetch.requests");

        var texts = _logs.Collector.Texts()
            .Concat(errors.SelectMany(Describe))
            .Concat(_telemetry)
            .Concat(measurements.Select(m => m.Instrument + " " + m.Tags))
            .ToList();
        foreach (string secret in new[] { ClientSecret, ImsToken, ProfileToken1, ProfileToken2, FetchId })
        {
            foreach (string form in Forms(secret))
            {
                Assert.DoesNotContain(texts, t => t.Contains(form, StringComparison.Ordinal));
            }
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _logs.Dispose();
    }

    private static IEnumerable<string> Forms(string secret) =>
    [
        secret,
        Uri.EscapeDataString(secret),
        WebUtility.UrlEncode(secret),
        JsonEncodedText.Encode(secret).ToString(),
        JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        JsonSerializer.Serialize(secret).Trim('"'),
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)),
    ];

    private static IEnumerable<string> Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            yield return e.ToString();
            yield return e.Message;
            if (e is ProfileApiException api)
            {
                yield return api.ResponseBody ?? string.Empty;
            }
        }
    }

    /// <summary>IMS, the Admin API and the profile endpoints, echoing every secret they get into their error answers.</summary>
    private sealed class FakeAdobe : HttpMessageHandler
    {
        public string Current { get; set; } = ProfileToken1;

        public HttpStatusCode ImsStatus { get; set; } = HttpStatusCode.OK;

        public HttpStatusCode AdminStatus { get; set; } = HttpStatusCode.OK;

        public HttpStatusCode CatalogStatus { get; set; } = HttpStatusCode.OK;

        public int CatalogCalls { get; private set; }

        public bool RefuseAll { get; set; }

        public bool ProfileMissing { get; set; }

        public int ImsCalls { get; private set; }

        public int AdminCalls { get; private set; }

        public ConcurrentQueue<string> Seen { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string auth = request.Headers.Authorization?.ToString() ?? string.Empty;
            string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            string echo = " echo: " + request.RequestUri + " " + auth + " " + body + " " + JsonEncodedText.Encode(auth + body) + " " + Uri.UnescapeDataString(body);
            Seen.Enqueue(echo);
            string path = request.RequestUri!.AbsolutePath;
            HttpResponseMessage response;
            if (path == "/ims/token/v3")
            {
                ImsCalls++;
                response = ImsStatus == HttpStatusCode.OK
                    ? Json(HttpStatusCode.OK, $$"""{"access_token":"{{ImsToken}}","token_type":"bearer","expires_in":3600}""")
                    : Json(ImsStatus, JsonSerializer.Serialize(new { error = "invalid_client", error_description = "bad secret" + echo }));
            }
            else if (path.EndsWith("/target/authentication/token", StringComparison.Ordinal))
            {
                AdminCalls++;
                response = AdminStatus == HttpStatusCode.OK
                    ? Json(HttpStatusCode.OK, JsonSerializer.Serialize(new { accessToken = Current, tokenType = "bearer", scope = "profile_api", expiresIn = 3600 }))
                    : Json(AdminStatus, JsonSerializer.Serialize(new { httpStatus = (int)AdminStatus, errors = new[] { new { message = "refused" + echo } } }));
            }
            else if (path.EndsWith("/target/profileattributes/mbox", StringComparison.Ordinal))
            {
                CatalogCalls++;
                response = CatalogStatus == HttpStatusCode.OK && auth == "Bearer " + ImsToken
                    ? Json(HttpStatusCode.OK, """{"mboxProfileAttributes":["tier"]}""")
                    : Json(CatalogStatus, JsonSerializer.Serialize(new { httpStatus = (int)CatalogStatus, errors = new[] { new { message = "refused" + echo } } }));
            }
            else if (RefuseAll || auth != "Bearer " + Current)
            {
                response = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("forbidden" + echo) };
            }
            else if (path.StartsWith("/rest/v1/profiles/", StringComparison.Ordinal))
            {
                response = ProfileMissing
                    ? Json(HttpStatusCode.NotFound, JsonSerializer.Serialize(new { status = 404, message = "No profile found for client demo with third party id=" + FetchId + echo }))
                    : Json(HttpStatusCode.OK, """{"client":"demo","visitorId":"v","profileAttributes":{"tier":{"value":"gold"}}}""");
            }
            else
            {
                response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("trueRequest successfully submitted") };
            }

            response.RequestMessage = request;
            return response;
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
            new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
    }
}
