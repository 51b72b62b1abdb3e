using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TargetProfileUpdate.SharedTestSupport;

/// <summary>
/// The one loopback HTTP/1.1 server of the tests (dotnet/runtime's <c>LoopbackServer</c> is the model): a
/// <see cref="TcpListener"/> bound to port 0 and kept open until disposal, so no other process can take the port between
/// choosing and using it. It reads each request exactly as sent (head bytes, then a <c>Content-Length</c> or chunked body),
/// records it in <see cref="Requests"/> before answering, and writes whatever bytes the test's responder returns. Connections
/// are kept alive until the client or the answer (<c>Connection: close</c>) ends them; <see cref="Accepted"/> counts them.
/// Compiled into each test project that needs it (tests/Shared).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackRequest, CancellationToken, Task<byte[]>> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly Task _accepting;
    private int _accepted;

    private LoopbackServer(Func<LoopbackRequest, CancellationToken, Task<byte[]>> respond)
    {
        _respond = respond;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseAddress = new Uri("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + "/");
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port the listener holds.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request, in the order it arrived (recorded before it is answered).</summary>
    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    /// <summary>The connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Starts a server that answers each request with the bytes <paramref name="respond"/> returns.</summary>
    public static LoopbackServer Start(Func<LoopbackRequest, CancellationToken, Task<byte[]>> respond) => new(respond);

    /// <summary>Starts a server that answers each request with the bytes <paramref name="respond"/> returns.</summary>
    public static LoopbackServer Start(Func<LoopbackRequest, byte[]> respond) => new((request, _) => Task.FromResult(respond(request)));

    /// <summary>A complete HTTP/1.1 answer with a <c>Content-Length</c>; <paramref name="close"/> adds <c>Connection: close</c>.</summary>
    public static byte[] Response(int status, string contentType, byte[] body, bool close = false)
    {
        string head = "HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture) + " " + Reason(status) + "\r\n"
            + "Content-Type: " + contentType + "\r\n"
            + "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n"
            + (close ? "Connection: close\r\n" : string.Empty)
            + "\r\n";
        return [.. System.Text.Encoding.ASCII.GetBytes(head), .. body];
    }

    /// <summary>A complete HTTP/1.1 answer with a UTF-8 text body.</summary>
    public static byte[] Response(int status, string contentType, string body, bool close = false) =>
        Response(status, contentType, System.Text.Encoding.UTF8.GetBytes(body), close);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections.Values);
        _stop.Dispose();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private async Task AcceptAsync()
    {
        for (int id = 0; ; id++)
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

            Interlocked.Increment(ref _accepted);
            int key = id;
            _connections[key] = ServeAsync(socket, key + 1).ContinueWith(_ => _connections.TryRemove(key, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        await Task.Yield();
        using (socket)
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new Reader(stream);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    byte[]? head = await reader.ReadHeadAsync(_stop.Token);
                    if (head is null)
                    {
                        return;
                    }

                    var request = new LoopbackRequest(head, []);
                    byte[] body = request.Header("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)
                        ? await reader.ReadChunkedAsync(_stop.Token)
                        : await reader.ReadExactlyAsync(int.Parse(request.Header("Content-Length") ?? "0", CultureInfo.InvariantCulture), _stop.Token);
                    request = new LoopbackRequest(head, body, connection);
                    Requests.Enqueue(request);

                    byte[] answer = await _respond(request, _stop.Token);
                    await stream.WriteAsync(answer, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    if (IsClose(request.Header("Connection")) || IsClose(HeadOf(answer).Header("Connection")))
                    {
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or EndOfStreamException)
            {
                // the client went away, or the server is stopping
            }
        }
    }

    private static LoopbackRequest HeadOf(byte[] answer)
    {
        int end = answer.AsSpan().IndexOf("\r\n\r\n"u8);
        return new LoopbackRequest(end < 0 ? answer : answer[..(end + 4)], []);
    }

    private static bool IsClose(string? connection) => connection is not null && connection.Contains("close", StringComparison.OrdinalIgnoreCase);

    /// <summary>A buffered reader of one connection's bytes.</summary>
    private sealed class Reader(Stream stream)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        private Span<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

        /// <summary>The request line and headers, through the blank line; null when the connection closes first.</summary>
        public async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            int end;
            while ((end = Buffered.IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }

            return Take(end + 4);
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            while (_end - _start < count)
            {
                if (!await FillAsync(cancellationToken))
                {
                    throw new EndOfStreamException("The connection closed inside a request body.");
                }
            }

            return Take(count);
        }

        public async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
        {
            var body = new List<byte>();
            while (true)
            {
                string sizeLine = System.Text.Encoding.ASCII.GetString(await ReadLineAsync(cancellationToken));
                int size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailers (none expected), then the blank line.
                    while ((await ReadLineAsync(cancellationToken)).Length > 0)
                    {
                    }

                    return [.. body];
                }

                body.AddRange(await ReadExactlyAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken);
            }
        }

        private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
        {
            int end;
            while ((end = Buffered.IndexOf("\r\n"u8)) < 0)
            {
                if (!await FillAsync(cancellationToken))
                {
                    throw new EndOfStreamException("The connection closed inside a chunked body.");
                }
            }

            byte[] line = Take(end);
            Take(2);
            return line;
        }

        private byte[] Take(int count)
        {
            byte[] taken = _buffer.AsSpan(_start, count).ToArray();
            _start += count;
            return taken;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
}

/// <summary>One request as it arrived on a <see cref="LoopbackServer"/>'s socket.</summary>
internal sealed class LoopbackRequest
{
    public LoopbackRequest(byte[] head, byte[] body, int connection = 0)
    {
        Head = head;
        Body = body;
        Connection = connection;
        HeadText = System.Text.Encoding.Latin1.GetString(head);
        int lineEnd = head.AsSpan().IndexOf("\r\n"u8);
        RequestLine = lineEnd < 0 ? head : head[..lineEnd];
        RequestLineText = System.Text.Encoding.Latin1.GetString(RequestLine);
        string[] parts = RequestLineText.Split(' ');
        Method = parts[0];
        Target = parts.Length > 1 ? parts[1] : string.Empty;
    }

    /// <summary>The request line and headers through the blank line, as sent.</summary>
    public byte[] Head { get; }

    /// <summary>The head as Latin-1 text (one char per byte).</summary>
    public string HeadText { get; }

    /// <summary>The request line (<c>GET /path?query HTTP/1.1</c>) as sent, without its CRLF.</summary>
    public byte[] RequestLine { get; }

    /// <summary>The request line as Latin-1 text.</summary>
    public string RequestLineText { get; }

    /// <summary>Which connection carried it: 1 for the first the server accepted, and so on (0 for a request made by hand).
    /// A request smuggled into another's bytes arrives as a request of its own on the same connection.</summary>
    public int Connection { get; }

    /// <summary>The body as sent (chunked bodies decoded).</summary>
    public byte[] Body { get; }

    public string Method { get; }

    /// <summary>The request target (path and query) as sent.</summary>
    public string Target { get; }

    /// <summary>The path of <see cref="Target"/>, without the query.</summary>
    public string Path => Target.Split('?')[0];

    /// <summary>The first header named <paramref name="name"/> (any casing), or null.</summary>
    public string? Header(string name)
    {
        foreach (string line in HeadText.Split("\r\n").Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
