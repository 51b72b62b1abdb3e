using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>One request as it arrived on the socket: the connection it came on, its request line, head and body bytes.</summary>
internal sealed record RawRequest(int Connection, string RequestLine, string Head, byte[] Body)
{
    public string Method => RequestLine.Split(' ')[0];

    public string Target => RequestLine.Split(' ').ElementAtOrDefault(1) ?? string.Empty;

    public string? Header(string name) => Head.Split("\r\n")
        .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(l => l[(name.Length + 1)..].Trim())
        .FirstOrDefault();
}

/// <summary>What the server answers a request.</summary>
internal sealed record RawAnswer(int Status, string Body, string ContentType = "application/json");

/// <summary>
/// An HTTP/1.1 server on a bare <see cref="TcpListener"/> (port 0, no HTTP server library): it keeps every connection
/// alive and parses the byte stream request after request (head up to CRLF CRLF, then <c>Content-Length</c> bytes), so a
/// second request smuggled into one request's bytes is recorded as a request of its own, on the same connection, exactly
/// as a real server would read it. The existing loopback servers in the tests answer one request per connection and
/// close it, so they could not see one.
/// </summary>
internal sealed class RawSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<RawRequest, RawAnswer> _answer;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _connectionCount;

    public RawSocketServer(Func<RawRequest, RawAnswer> answer)
    {
        _answer = answer;
        _listener.Start();
        BaseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture) + "/");
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<RawRequest> Requests { get; } = new();

    public int Connections => Volatile.Read(ref _connectionCount);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(Task.Run(() => ServeAsync(socket, Interlocked.Increment(ref _connectionCount))));
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        using (socket)
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var received = new List<byte>();
            var buffer = new byte[8192];
            try
            {
                while (true)
                {
                    int headEnd;
                    while ((headEnd = IndexOfHeadEnd(received)) < 0)
                    {
                        int read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        received.AddRange(buffer.AsSpan(0, read));
                    }

                    string head = System.Text.Encoding.Latin1.GetString([.. received.GetRange(0, headEnd + 4)]);
                    int length = ContentLength(head);
                    while (received.Count < headEnd + 4 + length)
                    {
                        int read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        received.AddRange(buffer.AsSpan(0, read));
                    }

                    byte[] body = [.. received.GetRange(headEnd + 4, length)];
                    received.RemoveRange(0, headEnd + 4 + length);
                    var request = new RawRequest(connection, head[..head.IndexOf("\r\n", StringComparison.Ordinal)], head, body);
                    Requests.Enqueue(request);
                    var answer = _answer(request);
                    byte[] content = System.Text.Encoding.UTF8.GetBytes(answer.Body);
                    byte[] bytes = System.Text.Encoding.ASCII.GetBytes(string.Create(
                        CultureInfo.InvariantCulture,
                        $"HTTP/1.1 {answer.Status} {(answer.Status < 300 ? "OK" : "Error")}\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {content.Length}\r\nConnection: keep-alive\r\n\r\n"));
                    await stream.WriteAsync(bytes, _stop.Token);
                    await stream.WriteAsync(content, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client closed the connection, or the server stopped.
            }
        }
    }

    private static int ContentLength(string head)
    {
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line["Content-Length:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            {
                return length;
            }
        }

        return 0;
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (int i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
