using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Http;

/// <summary>
/// The one call envelope, endpoint by endpoint (update, fetch, bulk upload, bulk status, IMS, Admin API token, attribute
/// catalog, Privacy Service jobs and job status): a final 403 is a
/// <see cref="ProfileApiAuthenticationException"/> naming the step, a run of 503s gives the reason and the attempts, a
/// timeout reports the call's real elapsed time and which limit ended it, and the caller's cancellation propagates.
/// </summary>
public sealed partial class CallEnvelopeTests
{
    public enum Endpoint
    {
        Update,
        Fetch,
        BulkUpload,
        BulkStatus,
        Ims,
        Admin,
        Catalog,
        PrivacyJobs,
        PrivacyStatus,
    }

    public static TheoryData<Endpoint> Endpoints => new(Enum.GetValues<Endpoint>());

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Final403_ThrowsAuthenticationExceptionNamingTheStep(Endpoint endpoint)
    {
        var routes = new Routes(endpoint, () => Answer(HttpStatusCode.Forbidden, "{}"));
        await using var provider = Provider(endpoint, routes);

        var error = await CallAsync(endpoint, provider, CancellationToken.None);

        var auth = Assert.IsType<ProfileApiAuthenticationException>(endpoint == Endpoint.BulkUpload ? error.InnerException : error);
        Assert.Equal(ProfileApiFailureReason.Authentication, error.Reason);
        Assert.Equal(403, auth.StatusCode);
        Assert.False(auth.IsTransient);
        Assert.Equal(endpoint switch { Endpoint.Ims => AuthenticationStep.Ims, Endpoint.Admin or Endpoint.Catalog => AuthenticationStep.AdminApi, _ => AuthenticationStep.ProfileEndpoint }, auth.Step);
        Assert.True(auth.Attempts >= 1, "the 403 came from a request that was sent");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task RunOf503_GivesTheReasonAndEveryAttempt(Endpoint endpoint)
    {
        var routes = new Routes(endpoint, () => Answer(HttpStatusCode.ServiceUnavailable, "{}"));
        await using var provider = Provider(endpoint, routes);

        var error = await CallAsync(endpoint, provider, CancellationToken.None);

        Assert.Equal(endpoint is Endpoint.Ims or Endpoint.Admin ? ProfileApiFailureReason.Authentication : ProfileApiFailureReason.HttpError, error.Reason);
        Assert.Equal(503, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(4, routes.Failing);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Timeout_ReportsTheCallsRealElapsedTimeAndTheLimitThatEndedIt(Endpoint endpoint)
    {
        var time = new TimerWatchingTimeProvider();
        var routes = new Routes(endpoint, null);
        await using var provider = Provider(endpoint, routes, time);
        // Bulk uploads get at least 30 minutes; status polls have their own short BulkStatusResilience (30 s total).
        var total = endpoint switch
        {
            Endpoint.BulkUpload => TimeSpan.FromMinutes(30),
            Endpoint.BulkStatus => new TargetProfileUpdateOptions().BulkStatusResilience.TotalTimeout,
            _ => TimeSpan.FromSeconds(2.5),
        };

        var call = CallAsync(endpoint, provider, CancellationToken.None);
        await TestClients.AdvanceUntilAsync(time, () => call.IsCompleted, total / 50, total * 4);
        var error = await call;

        Assert.Equal(endpoint is Endpoint.Ims or Endpoint.Admin ? ProfileApiFailureReason.Authentication : ProfileApiFailureReason.Timeout, error.Reason);
        var reported = TimeSpan.FromSeconds(double.Parse(Elapsed().Match(error.Message).Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.InRange(reported, total, total * 1.2);
        Assert.Contains("the total limit (TotalTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(routes.Failing >= 2, "attempts were made and timed out");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task CallersCancellation_PropagatesAsCancellation(Endpoint endpoint)
    {
        var routes = new Routes(endpoint, null);
        await using var provider = Provider(endpoint, routes);
        using var cts = new CancellationTokenSource();
        routes.Hanging += cts.Cancel;

        var ex = await Record.ExceptionAsync(() => CallAsync(endpoint, provider, cts.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Equal(1, routes.Failing);
    }

    [GeneratedRegex(@"timed out after ([0-9.]+) s")]
    private static partial Regex Elapsed();

    private static ServiceProvider Provider(Endpoint endpoint, Routes routes, TimeProvider? time = null) =>
        TestClients.CreateProvider(routes, o =>
        {
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(2.5);
            if (endpoint is Endpoint.Ims or Endpoint.Admin or Endpoint.Catalog or Endpoint.PrivacyJobs or Endpoint.PrivacyStatus)
            {
                o.Privacy.ImsOrgId = "0123456789ABCDEF01234567@AdobeOrg";
                o.Privacy.BaseAddress = new Uri("https://platform.example.com/");
                o.AdobeIms.ClientId = "client-1";
                o.AdobeIms.ClientSecret = "secret-1";
                o.AdobeIms.Scopes = "openid";
                o.AdobeIms.Tenant = "acme";
                o.AdobeIms.ImsTokenEndpoint = new Uri("https://ims.example.com/ims/token/v3");
                o.AdobeIms.AdminApiBaseAddress = new Uri("https://mc.example.com/");
            }
        }, time);

    /// <summary>Runs the endpoint's operation and returns the <see cref="ProfileApiException"/> it threw.</summary>
    private static async Task<ProfileApiException> CallAsync(Endpoint endpoint, IServiceProvider services, CancellationToken cancellationToken)
    {
        var update = ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold");
        Task call = endpoint switch
        {
            Endpoint.Catalog => services.GetRequiredService<IProfileAttributeCatalog>().GetAttributeNamesAsync(cancellationToken),
            Endpoint.Fetch => services.GetRequiredService<IProfileFetchClient>().GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"), cancellationToken),
            Endpoint.BulkUpload => services.GetRequiredService<IBulkProfileUpdateClient>().UploadAsync([update], null, cancellationToken),
            Endpoint.PrivacyJobs => services.GetRequiredService<IProfilePrivacyClient>().RequestDeletionAsync(ProfileId.FromThirdPartyId("crm-1"), PrivacyRegulation.Gdpr, cancellationToken),
            Endpoint.PrivacyStatus => services.GetRequiredService<IProfilePrivacyClient>().GetJobStatusAsync("job-1", cancellationToken),
            Endpoint.BulkStatus => services.GetRequiredService<IBulkProfileUpdateClient>().GetStatusAsync(
                new BulkBatch("b1", new Uri("https://demo.tt.omtrdc.net/m2/demo/v2/profile/batchStatus?batchId=b1"), 0, 1, 10, BulkApiVersion.V2), cancellationToken),
            _ => services.GetRequiredService<IProfileUpdateClient>().UpdateAsync(update, cancellationToken),
        };
        try
        {
            await call;
        }
        catch (ProfileApiException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("The call did not fail.");
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    /// <summary>Answers each endpoint by path; the endpoint under test gets <c>failing</c> (or hangs until canceled when it is null).</summary>
    private sealed class Routes(Endpoint endpoint, Func<HttpResponseMessage>? failing) : HttpMessageHandler
    {
        private int _failing;

        public event Action? Hanging;

        public int Failing => _failing;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string path = request.RequestUri!.AbsolutePath;
            var target = path.EndsWith("/ims/token/v3", StringComparison.Ordinal) ? Endpoint.Ims
                : path.EndsWith("/target/authentication/token", StringComparison.Ordinal) ? Endpoint.Admin
                : path.EndsWith("/target/profileattributes/mbox", StringComparison.Ordinal) ? Endpoint.Catalog
                : endpoint is Endpoint.Ims or Endpoint.Admin ? (Endpoint?)null
                : endpoint;
            if (target == endpoint)
            {
                Interlocked.Increment(ref _failing);
                if (failing is not null)
                {
                    return failing();
                }

                Hanging?.Invoke();
                await Task.Delay(Timeout.Infinite, cancellationToken); // hangs until canceled (a stuck server): not a sleep
            }

            return target switch
            {
                Endpoint.Ims => Answer(HttpStatusCode.OK, """{"access_token":"ims-token-1","token_type":"bearer","expires_in":86399}"""),
                Endpoint.Admin => Answer(HttpStatusCode.OK, """{"accessToken":"profile-token-1","tokenType":"bearer","expiresIn":86399}"""),
                _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("trueRequest successfully submitted") },
            };
        }
    }
}
