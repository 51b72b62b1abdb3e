using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Emulator.Tests.TestSupport;

/// <summary>Raw HTTP against a real emulator on loopback: no SDK in between, so the bytes are the emulator's own.</summary>
internal static class Wire
{
    public const string ClientId = "emulator-client-id";
    public const string ClientSecret = "emulator-client-secret-Zx9";

    /// <summary>A fixed start, so timestamps and batch ids are exact.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static HttpClient Client(TargetEmulator emulator) => new() { BaseAddress = emulator.BaseAddress };

    public static TargetEmulatorOptions ImsOptions(FakeTimeProvider? clock = null) => new()
    {
        ImsClientId = ClientId,
        ImsClientSecret = ClientSecret,
        TimeProvider = clock ?? Clock(),
    };

    public static HttpContent Form(string body)
    {
        var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    public static Task<HttpResponseMessage> ImsTokenAsync(HttpClient http, string clientId = ClientId, string clientSecret = ClientSecret) =>
        http.PostAsync("ims/token/v3", Form($"grant_type=client_credentials&client_id={clientId}&client_secret={clientSecret}&scope=openid%2CAdobeID%2Ctarget_sdk"));

    public static async Task<string> ImsAccessTokenAsync(HttpClient http)
    {
        using var response = await ImsTokenAsync(http);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    public static HttpRequestMessage AdminToken(HttpMethod method, string imsToken, string tenant = "demo", string apiKey = ClientId)
    {
        var request = new HttpRequestMessage(method, $"{tenant}/target/authentication/token?authorizationScope=profile_api");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", imsToken);
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Accept.ParseAdd("application/vnd.adobe.target.v1+json");
        return request;
    }

    /// <summary>Runs the whole flow (IMS, then Admin API) and returns the profile token the Admin API hands out.</summary>
    public static async Task<string> ProfileTokenAsync(HttpClient http, HttpMethod? method = null)
    {
        string ims = await ImsAccessTokenAsync(http);
        using var request = AdminToken(method ?? HttpMethod.Get, ims);
        using var response = await http.SendAsync(request);
        Assert.Equal(request.Method == HttpMethod.Post ? 201 : 200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
    }

    public static HttpRequestMessage WithBearer(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public static async Task<(int Status, string Body)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public static Task<(int Status, string Body)> UpdateAsync(HttpClient http, string thirdPartyId, string? token) =>
        SendAsync(http, WithBearer(new HttpRequestMessage(HttpMethod.Get, $"m2/demo/profile/update?mbox3rdPartyId={thirdPartyId}&profile.a=1"), token));

    public static Task<(int Status, string Body)> FetchAsync(HttpClient http, string rawPath, string? token = null) =>
        SendAsync(http, WithBearer(new HttpRequestMessage(HttpMethod.Get, rawPath), token));

    public static Task<(int Status, string Body)> BatchUpdateAsync(HttpClient http, string csv, int version = 2, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, version == 2 ? "m2/demo/v2/profile/batchUpdate" : "m2/demo/profile/batchUpdate")
        {
            Content = Form("batch=" + csv),
        };
        return SendAsync(http, WithBearer(request, token));
    }

    public static Task<(int Status, string Body)> GetAsync(HttpClient http, string url, string? token = null) =>
        SendAsync(http, WithBearer(new HttpRequestMessage(HttpMethod.Get, url), token));

    /// <summary>The <c>batchStatus</c> URL of a success answer.</summary>
    public static string StatusUrl(string xml)
    {
        int start = xml.IndexOf("<batchStatus>", StringComparison.Ordinal) + "<batchStatus>".Length;
        return xml[start..xml.IndexOf("</batchStatus>", StringComparison.Ordinal)];
    }

    /// <summary>The options of a test that reads its own writes at once: every delay explicitly zero.</summary>
    public static TargetEmulatorOptions Immediate(FakeTimeProvider? clock = null) => new()
    {
        PropagationDelay = TimeSpan.Zero,
        BatchProcessingDelay = TimeSpan.Zero,
        ProfileCreationDelay = TimeSpan.Zero,
        TimeProvider = clock ?? Clock(),
    };

    /// <summary>
    /// Sends exactly these bytes over a plain socket (nothing normalises the request target, as a third-party client's
    /// socket would not) and reads the status and body. <paramref name="head"/> is the request line and headers without
    /// the final blank line; Host and Connection: close are added.
    /// </summary>
    public static async Task<(int Status, string Body)> RawAsync(TargetEmulator emulator, string head, string body = "")
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(emulator.BaseAddress.Host, emulator.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        byte[] bodyBytes = System.Text.Encoding.Latin1.GetBytes(body);
        string lengthHeader = body.Length > 0 ? $"Content-Length: {bodyBytes.Length}\r\n" : string.Empty;
        byte[] request = System.Text.Encoding.Latin1.GetBytes($"{head}\r\nHost: {emulator.BaseAddress.Authority}\r\n{lengthHeader}Connection: close\r\n\r\n");
        await stream.WriteAsync(request);
        await stream.WriteAsync(bodyBytes);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        string response = await reader.ReadToEndAsync();
        int status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return (status, response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    public static string BatchId(string statusUrl) => statusUrl[(statusUrl.IndexOf("batchId=", StringComparison.Ordinal) + "batchId=".Length)..];
}
