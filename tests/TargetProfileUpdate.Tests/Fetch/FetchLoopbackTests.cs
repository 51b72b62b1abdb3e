using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>
/// The fetch client over real sockets against an independent server that reads the raw request line: proves that
/// nothing between the client and the wire (HttpClient, Uri, handlers) unescapes or rewrites the path.
/// </summary>
public sealed class FetchLoopbackTests
{
    public static TheoryData<string, string> Odd => OddIds;

    [Fact]
    public async Task GetProfileAsync_EachIdKind_SendsTheExactRequestTarget()
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var byPc = await fetch.GetProfileAsync(ProfileId.FromPcId("1368007744041-575948.01_00"));
        var byThirdParty = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));
        var byEcid = await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("65453743417542776491447190463917247418"));

        Assert.Equal(
            [
                "GET /rest/v1/profiles/1368007744041-575948.01_00?client=demo HTTP/1.1",
                "GET /rest/v1/profiles/thirdPartyId/crm-1?client=demo HTTP/1.1",
                "GET /rest/v1/profiles/marketingCloudVisitorId/65453743417542776491447190463917247418?client=demo HTTP/1.1",
            ],
            server.RequestLines.Select(System.Text.Encoding.Latin1.GetString));
        Assert.Equal("gold", byPc!.Attributes["tier"].Value);
        Assert.Equal("crm-1", byThirdParty!.ThirdPartyId);
        Assert.NotNull(byEcid);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public async Task GetProfileAsync_OddId_ArrivesAsExactlyTheEncodedSegment(string id, string encoded)
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(id));
        await fetch.GetProfileAsync(ProfileId.FromPcId(id));
        await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId(id));

        Assert.Equal(
            [
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/thirdPartyId/" + encoded + "?client=demo HTTP/1.1"),
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/" + encoded + "?client=demo HTTP/1.1"),
                System.Text.Encoding.ASCII.GetBytes("GET /rest/v1/profiles/marketingCloudVisitorId/" + encoded + "?client=demo HTTP/1.1"),
            ],
            server.RequestLines);
    }

    [Fact]
    public async Task GetProfileAsync_WithToken_SendsTheBearerHeaderOnTheWire()
    {
        await using var server = RawHttpServer.Start();
        using var services = Services(server, o => o.AuthorizationToken = "tok-123");
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Contains("\r\nAuthorization: Bearer tok-123\r\n", Assert.Single(server.Heads), StringComparison.Ordinal);
    }

    private static ServiceProvider Services(RawHttpServer server, Action<TargetProfileUpdateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;
            o.Resilience.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>A minimal HTTP/1.1 server on a raw socket: records each request line as bytes and answers one fixed JSON.</summary>
    private sealed class RawHttpServer : IAsyncDisposable
    {
        private static readonly byte[] Answer = BuildAnswer();
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private RawHttpServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            BaseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
            _loop = Task.Run(AcceptLoopAsync);
        }

        public Uri BaseAddress { get; }

        public ConcurrentQueue<byte[]> RequestLines { get; } = new();

        public ConcurrentQueue<string> Heads { get; } = new();

        public static RawHttpServer Start() => new();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private static byte[] BuildAnswer()
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes(CurrentShape);
            byte[] head = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n");
            return [.. head, .. body];
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    await ServeAsync(client.GetStream());
                }
            }
        }

        private async Task ServeAsync(NetworkStream stream)
        {
            var head = new List<byte>();
            var buffer = new byte[4096];
            while (!EndsHead(head))
            {
                int read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.AddRange(buffer.AsSpan(0, read));
            }

            byte[] bytes = [.. head];
            int lineEnd = bytes.AsSpan().IndexOf("\r\n"u8);
            RequestLines.Enqueue(bytes[..lineEnd]);
            Heads.Enqueue(System.Text.Encoding.Latin1.GetString(bytes));
            await stream.WriteAsync(Answer, _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }

        private static bool EndsHead(List<byte> head) =>
            head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
    }
}
