using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>A request exactly as it reached the transport: method, raw URL, headers and body bytes.</summary>
public sealed record WireRequest(HttpMethod Method, string Url, string? Authorization, string? ContentType, byte[] Body)
{
    public string BodyText => System.Text.Encoding.ASCII.GetString(Body);
}

/// <summary>
/// The innermost handler of a client under test. It records each request as raw bytes (MockHttp's matchers decode
/// queries, so they cannot see the encoding) and answers from a script of responses, the last one repeating.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _last = (_, _) => Task.FromResult(Ok());

    public ConcurrentQueue<WireRequest> Requests { get; } = new();

    public event Action<WireRequest>? Received;

    public static HttpResponseMessage Ok(string body = "trueRequest successfully submitted") => Text(HttpStatusCode.OK, body);

    public static HttpResponseMessage Text(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain") };

    public RecordingHandler Then(HttpResponseMessage response) => Then((_, _) => Task.FromResult(response));

    public RecordingHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _script.Enqueue(respond);
        _last = respond;
        return this;
    }

    public RecordingHandler Always(Func<HttpResponseMessage> respond)
    {
        _last = (_, _) => Task.FromResult(respond());
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var wire = new WireRequest(
            request.Method,
            request.RequestUri!.OriginalString,
            request.Headers.TryGetValues("Authorization", out var auth) ? string.Join(",", auth) : null,
            request.Content?.Headers.TryGetValues("Content-Type", out var ct) == true ? string.Join(",", ct) : null,
            body);
        Requests.Enqueue(wire);
        Received?.Invoke(wire);
        var respond = _script.TryDequeue(out var next) ? next : _last;
        var response = await respond(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}
