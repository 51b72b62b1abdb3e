using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TargetProfileUpdate.IntegrationTests.Bulk;

/// <summary>
/// An independent bulk server (HttpListener, no emulator code): <c>POST …/batchUpdate</c> reads the body and answers the
/// documented XML with a status URL on itself; <c>GET …/batchStatus</c> answers <c>incomplete</c> for the first
/// <c>incompletePolls</c> polls, then <c>complete</c>, in the current shape (counts) or the legacy one (a <c>profile</c>
/// element per row).
/// </summary>
internal sealed class XmlBulkServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly bool _legacy;
    private readonly int _incompletePolls;
    private readonly Task _loop;
    private int _polls;
    private string[] _ids = [];

    private XmlBulkServer(int port, bool legacy, int incompletePolls)
    {
        _legacy = legacy;
        _incompletePolls = incompletePolls;
        BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/");
        _listener.Prefixes.Add(BaseAddress.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<(string Method, string PathAndQuery, string? Authorization, string Body)> Requests { get; } = new();

    public static Task<XmlBulkServer> StartAsync(bool legacy, int incompletePolls)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return Task.FromResult(new XmlBulkServer(port, legacy, incompletePolls));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            catch (HttpListenerException)
            {
                // the client went away
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, System.Text.Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        string pathAndQuery = request.Url!.PathAndQuery;
        Requests.Enqueue((request.HttpMethod, pathAndQuery, request.Headers["Authorization"], body));
        string path = request.Url.AbsolutePath;
        string xml;
        if (request.HttpMethod == "POST" && path.EndsWith("/batchUpdate", StringComparison.Ordinal))
        {
            _ids = [.. body.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => Uri.UnescapeDataString(l.Split(',')[0]))];
            string statusUrl = BaseAddress.AbsoluteUri + path.TrimStart('/').Replace("batchUpdate", "batchStatus", StringComparison.Ordinal) + "?batchId=indep-1";
            xml = "<response><success>true</success><batchStatus>" + statusUrl + "</batchStatus><message>Batch submitted for processing</message></response>";
        }
        else if (request.HttpMethod == "GET" && path.EndsWith("/batchStatus", StringComparison.Ordinal))
        {
            bool complete = Interlocked.Increment(ref _polls) > _incompletePolls;
            string n = _ids.Length.ToString(CultureInfo.InvariantCulture);
            var sb = new StringBuilder("<response><batchId>indep-1</batchId><status>").Append(complete ? "complete" : "incomplete").Append("</status><batchSize>").Append(n).Append("</batchSize>");
            if (_legacy)
            {
                foreach (string id in _ids)
                {
                    sb.Append("<profile><id>").Append(id).Append("</id><status>").Append(complete ? "success" : "pending").Append("</status></profile>");
                }
            }
            else
            {
                string done = complete ? n : "0";
                sb.Append("<consumedCount>").Append(done).Append("</consumedCount><successfulUpdates>").Append(done)
                    .Append("</successfulUpdates><profilesNotFound>0</profilesNotFound><failedUpdates>0</failedUpdates>");
            }

            xml = sb.Append("</response>").ToString();
        }
        else
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
