using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.IntegrationTests.Regression;

/// <summary>
/// Regression (issue 9): 1,000 concurrent updates opened 1,000 TCP connections. The SDK's handler now caps connections
/// per server at <see cref="TargetProfileUpdateOptions.MaxConnectionsPerServer"/>; a raw loopback server counts the
/// sockets it accepts.
/// </summary>
public sealed class ConnectionCapTests
{
    [Theory]
    [InlineData(8, 200)]
    [InlineData(null, 300)]
    public async Task ManyConcurrentUpdates_OpenAtMostMaxConnectionsPerServer(int? cap, int updates)
    {
        await using var server = new CountingServer(TimeSpan.FromMilliseconds(20));
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(60);
            if (cap is { } c)
            {
                o.MaxConnectionsPerServer = c;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        var calls = Enumerable.Range(0, updates).Select(i => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i)));
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(updates, server.Requests);
        Assert.InRange(server.Accepted, 1, cap ?? 100);
    }

    /// <summary>An HTTP/1.1 keep-alive server that answers every request with the documented success body after a delay.</summary>
    private sealed class CountingServer : IAsyncDisposable
    {
        private static readonly byte[] Answer = System.Text.Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 34\r\n\r\ntrueRequest successfully submitted");

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly TimeSpan _delay;
        private readonly Task _accepting;
        private int _accepted;
        private int _requests;

        public CountingServer(TimeSpan delay)
        {
            _delay = delay;
            _listener.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _accepting = AcceptAsync();
        }

        public Uri BaseAddress { get; }

        public int Accepted => Volatile.Read(ref _accepted);

        public int Requests => Volatile.Read(ref _requests);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    _ = ServeAsync(socket);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using (socket)
            {
                var buffer = new byte[16 * 1024];
                int filled = 0;
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        int end;
                        while ((end = IndexOfHeaderEnd(buffer, filled)) < 0)
                        {
                            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            filled += read;
                        }

                        Buffer.BlockCopy(buffer, end, buffer, 0, filled - end);
                        filled -= end;
                        Interlocked.Increment(ref _requests);
                        await Task.Delay(_delay, _stop.Token);
                        await socket.SendAsync(Answer, _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                {
                }
            }
        }

        private static int IndexOfHeaderEnd(byte[] buffer, int length)
        {
            int i = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            return i < 0 ? -1 : i + 4;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
