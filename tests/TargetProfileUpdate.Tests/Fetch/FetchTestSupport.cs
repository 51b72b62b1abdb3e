using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>The registered fetch client over a <see cref="RecordingHandler"/>, and JSON answers.</summary>
internal static class FetchTestSupport
{
    public const string ProfilesUrl = "https://demo.tt.omtrdc.net/rest/v1/profiles/";

    /// <summary>Odd ids and their one-segment encoding (UTF-8, uppercase %XX, RFC 3986 unreserved kept).</summary>
    public static TheoryData<string, string> OddIds => new()
    {
        { "a/b", "a%2Fb" },
        { "a?b=c", "a%3Fb%3Dc" },
        { "a#b", "a%23b" },
        { "100%", "100%25" },
        { "%2F", "%252F" },
        { "jane doe", "jane%20doe" },
        { "a+b", "a%2Bb" },
        { "café", "caf%C3%A9" },
        { "東京", "%E6%9D%B1%E4%BA%AC" },
        { "😀", "%F0%9F%98%80" },
        { "AZaz09-._~", "AZaz09-._~" },
        { "a&b;c,d:e@f", "a%26b%3Bc%2Cd%3Ae%40f" },
    };

    public static (IProfileFetchClient Fetch, IProfileUpdateClient Update, RecordingHandler Handler, ServiceProvider Services) Create(
        Action<TargetProfileUpdateOptions>? configure = null,
        RecordingHandler? handler = null,
        TimeProvider? timeProvider = null)
    {
        var (update, recording, services) = TestClients.Create(configure, handler, timeProvider);
        return (services.GetRequiredService<IProfileFetchClient>(), update, recording, services);
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    public static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, string retryAfter)
    {
        response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }

    public const string CurrentShape = """
        {
          "client": "demo",
          "visitorId": { "tntId": "1368007744041-575948.01_00", "thirdPartyId": "crm-1", "marketingCloudVisitorId": "0123456789" },
          "modifiedAt": "2026-11-23T12:00:00.000Z",
          "profileAttributes": {
            "tier": { "value": "gold", "modifiedAt": "2026-11-23T11:59:00.000Z" }
          }
        }
        """;

    public const string NotFound = """{"status":404,"message":"No profile found for client demo with third party id=crm-1"}""";
}
