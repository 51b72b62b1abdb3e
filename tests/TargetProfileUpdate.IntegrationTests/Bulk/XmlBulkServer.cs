using System.Globalization;
using System.Text;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.IntegrationTests.Bulk;

/// <summary>
/// An independent bulk server (the shared raw-socket <see cref="LoopbackServer"/>, no emulator code): <c>POST …/batchUpdate</c>
/// reads the body and answers the documented XML with a status URL on itself; <c>GET …/batchStatus</c> answers
/// <c>incomplete</c> for the first <c>incompletePolls</c> polls, then <c>complete</c>, in the current shape (counts) or the
/// legacy one (a <c>profile</c> element per row). It holds its port from start to disposal (port 0, never probed).
/// </summary>
internal sealed class XmlBulkServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly bool _legacy;
    private readonly int _incompletePolls;
    private int _polls;
    private string[] _ids = [];

    private XmlBulkServer(bool legacy, int incompletePolls)
    {
        _legacy = legacy;
        _incompletePolls = incompletePolls;
        _server = LoopbackServer.Start(Handle);
    }

    public Uri BaseAddress => _server.BaseAddress;

    public IEnumerable<(string Method, string PathAndQuery, string? Authorization, string Body)> Requests =>
        _server.Requests.Select(r => (r.Method, r.Target, r.Header("Authorization"), System.Text.Encoding.UTF8.GetString(r.Body)));

    public static Task<XmlBulkServer> StartAsync(bool legacy, int incompletePolls) => Task.FromResult(new XmlBulkServer(legacy, incompletePolls));

    private byte[] Handle(LoopbackRequest request)
    {
        string body = System.Text.Encoding.UTF8.GetString(request.Body);
        string path = request.Path;
        string xml;
        if (request.Method == "POST" && path.EndsWith("/batchUpdate", StringComparison.Ordinal))
        {
            _ids = [.. body.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => Uri.UnescapeDataString(l.Split(',')[0]))];
            string statusUrl = BaseAddress.AbsoluteUri + path.TrimStart('/').Replace("batchUpdate", "batchStatus", StringComparison.Ordinal) + "?batchId=indep-1";
            xml = "<response><success>true</success><batchStatus>" + statusUrl + "</batchStatus><message>Batch submitted for processing</message></response>";
        }
        else if (request.Method == "GET" && path.EndsWith("/batchStatus", StringComparison.Ordinal))
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
            return LoopbackServer.Response(404, "text/plain", string.Empty);
        }

        return LoopbackServer.Response(200, "application/xml", xml);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
