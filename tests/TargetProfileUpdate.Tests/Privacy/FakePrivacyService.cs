using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>A request to IMS or Privacy Service exactly as it reached the transport, with every header.</summary>
public sealed record PrivacyWire(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// The innermost handler for privacy unit tests: IMS answers a token, <c>POST …/privacy/jobs</c> answers one job per user
/// (<c>job-1</c>, <c>job-2</c>, …) in the documented shape, <c>GET …/jobs/{id}</c> answers <see cref="Status"/>. Records every
/// request with all its headers and bytes. The emulator's tests cover the real server.
/// </summary>
public sealed class FakePrivacyService : HttpMessageHandler
{
    public const string OrgId = "0123456789ABCDEF01234567@AdobeOrg";
    public const string ClientId = "client-id-1";
    public const string HashSecret = "0123456789abcdef0123456789abcdef-test-secret";
    public const string ImsTokenUrl = "https://ims-na1.adobelogin.com/ims/token/v3";
    public const string JobsUrl = "https://platform.adobe.io/data/core/privacy/jobs";

    private int _jobs;
    private int _creates;

    public ConcurrentQueue<PrivacyWire> Requests { get; } = new();

    /// <summary>The IMS token handed out (a secret the privacy tests look for).</summary>
    public string ImsToken { get; set; } = PersonalData.Token;

    /// <summary>The answer to a job's status: job id to JSON (null: 404); the default is a complete job with Target complete.</summary>
    public Func<string, string?> Status { get; set; } = id => StatusJson(id, "complete", "complete", "Success");

    /// <summary>When set, the n-th job request (1-based) and every later one are answered with this status and a body echoing the ids.</summary>
    public (int Request, HttpStatusCode Status)? FailCreate { get; set; }

    public IEnumerable<PrivacyWire> Creates => Requests.Where(r => r.Method == "POST" && r.Url == JobsUrl);

    public static void Configure(TargetProfileUpdateOptions o)
    {
        o.AdobeIms.ClientId = ClientId;
        o.AdobeIms.ClientSecret = "client-secret-1";
        o.AdobeIms.Scopes = "openid,AdobeID";
        o.AdobeIms.Tenant = "demo";
        o.Privacy.ImsOrgId = OrgId;
        o.Privacy.HashSecret = HashSecret;
    }

    /// <summary>A container with one account over this handler, logging at Trace to <paramref name="logs"/> and with metrics.</summary>
    public ServiceProvider CreateProvider(Action<TargetProfileUpdateOptions>? configure = null, TimeProvider? time = null, ILoggerProvider? logs = null, Action<TargetProfileUpdateBuilder>? account = null) =>
        TestClients.CreateProvider(this, o => { Configure(o); configure?.Invoke(o); }, time, logs, services: s => s.AddMetrics(), account: account);

    /// <summary>The user key the SDK derives: <c>tpu-</c> and the first 16 bytes of HMAC-SHA256(secret, [2, kind, UTF-8 id]) in hex.</summary>
    public static string ExpectedKey(ProfileId id, string secret = HashSecret)
    {
        byte[] input = [2, (byte)id.Kind, .. System.Text.Encoding.UTF8.GetBytes(id.Value)];
        return "tpu-" + Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), input)[..16]).ToLowerInvariant();
    }

    public static string StatusJson(string jobId, string status, string? targetStatus, string? message, string action = "delete", string? results = null, string userId = "")
    {
        string product = targetStatus is null
            ? string.Empty
            : "{\"product\":\"Target\",\"retryCount\":0,\"processedDate\":\"2026-12-01T11:00:00Z\",\"productStatusResponse\":{\"status\":\"" + targetStatus
                + "\",\"message\":\"" + message + "\",\"responseMsgCode\":\"PRIVACY-1\",\"responseMsgDetail\":\"" + message + "\""
                + (results is null ? string.Empty : ",\"results\":" + results) + "}}";
        return "{\"jobId\":\"" + jobId + "\",\"userKey\":\"tpu-00\",\"action\":\"" + action + "\",\"status\":\"" + status
            + "\",\"createdDate\":\"2026-12-01T10:00:00Z\",\"lastModifiedDate\":\"2026-12-01T11:00:00Z\",\"regulation\":\"gdpr\","
            + "\"userIds\":[{\"namespace\":\"THIRDPARTYID\",\"value\":\"" + userId + "\",\"type\":\"target\"}],\"productResponses\":[" + product + "]}";
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        string url = request.RequestUri!.OriginalString;
        Requests.Enqueue(new PrivacyWire(request.Method.Method, url, headers, body));
        var response = Answer(request.Method.Method, url, body);
        response.RequestMessage = request;
        return response;
    }

    private HttpResponseMessage Answer(string method, string url, byte[] body)
    {
        if (url == ImsTokenUrl)
        {
            return Json($$"""{"access_token":"{{ImsToken}}","token_type":"bearer","expires_in":86399}""");
        }

        if (method == "POST" && url == JobsUrl)
        {
            int n = Interlocked.Increment(ref _creates);
            if (FailCreate is { } fail && fail.Request <= n)
            {
                return Json("{\"error\":\"bad request for " + PersonalData.Id + "\"}", fail.Status);
            }

            using var document = JsonDocument.Parse(body);
            var jobs = new List<string>();
            foreach (var user in document.RootElement.GetProperty("users").EnumerateArray())
            {
                foreach (var action in user.GetProperty("action").EnumerateArray())
                {
                    jobs.Add("{\"jobId\":\"job-" + Interlocked.Increment(ref _jobs) + "\",\"customer\":{\"user\":{\"key\":\"" + user.GetProperty("key").GetString() + "\",\"action\":[\"" + action.GetString() + "\"]}}}");
                }
            }

            return Json($$"""{"jobs":[{{string.Join(",", jobs)}}],"requestStatus":1,"totalRecords":{{jobs.Count}}}""");
        }

        if (method == "GET" && url.StartsWith(JobsUrl + "/", StringComparison.Ordinal))
        {
            return Status(Uri.UnescapeDataString(url[(JobsUrl.Length + 1)..])) is { } json ? Json(json) : Json("{\"title\":\"not found\"}", HttpStatusCode.NotFound);
        }

        return Json("{}", HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}
