using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TargetProfileUpdate.Tests.Update;

/// <summary>
/// Issue 9: POST bodies went out as <c>application/x-www-form-urlencoded</c> without a charset, which a servlet container
/// with default settings decodes as ISO-8859-1. Checked on a loopback socket, so the header is seen exactly as sent.
/// </summary>
public sealed class FormContentWireTests
{
    [Fact]
    public async Task Post_ContentTypeOnTheWire_DeclaresUtf8()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = AnswerOnceAsync(listener, timeout.Token);

        var options = new TargetProfileUpdateOptions
        {
            ClientCode = "demo",
            BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"),
            Method = ProfileUpdateMethod.Post,
        };
        using var client = new ProfileUpdateClient(options);

        var result = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("city", "Zürich"), timeout.Token);
        var (head, body) = await server;

        Assert.Equal(HttpMethod.Post, result.HttpMethod);
        Assert.StartsWith("POST /m2/demo/profile/update HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n", head, StringComparison.Ordinal);
        Assert.Equal("mbox3rdPartyId=crm-1&profile.city=Z%C3%BCrich"u8.ToArray(), body);
    }

    private static async Task<(string Head, byte[] Body)> AnswerOnceAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "The connection closed before the request head was complete.");
            received.AddRange(buffer.AsSpan(0, read));
        }

        string head = System.Text.Encoding.ASCII.GetString(received.ToArray(), 0, headEnd + 4);
        string lengthLine = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        int length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "The connection closed before the request body was complete.");
            received.AddRange(buffer.AsSpan(0, read));
        }

        byte[] answer = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 34\r\nConnection: close\r\n\r\ntrueRequest successfully submitted");
        await stream.WriteAsync(answer, cancellationToken);
        return (head, received.GetRange(headEnd + 4, length).ToArray());
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
