using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, persistence off, started by the tests and stopped by its
/// process id. It can be killed and restarted on the same port, for failover tests. Never a mock, never skipped:
/// without <c>redis-server</c> on the PATH the tests fail and say how to install it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tpu-redis-").FullName;
    private Process? _process;

    public RedisServer()
        : this(null)
    {
    }

    private RedisServer(string? password)
    {
        Password = password;

        // The port is probed and released, so a server started at the same moment by another test (or another process)
        // can take it: then ours fails to bind while theirs answers our PING. Start checks that the server answering is
        // ours (INFO's process_id); when it is not, ours is stopped and another port tried.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                Start();
                return;
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    public string? Password { get; }

    /// <summary>Starts a server that requires <paramref name="password"/> (<c>requirepass</c>).</summary>
    public static RedisServer WithPassword(string password) => new(password);

    public int Port { get; private set; }

    /// <summary>A connection string that fails fast and reconnects quickly, so failover tests stay short (without the password).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,connectRetry=1";

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");

    public static string Executable()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"]))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed, and the TargetProfileUpdate.Redis tests need a real Redis (they are never skipped). " +
            "Install Debian's package: apt-get update && apt-get install -y redis-server (.ci/run does this on CI).");
    }

    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        var start = new ProcessStartInfo(Executable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (string argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }

        var output = new StringBuilder();
        Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!Ping())
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                Kill();
                lock (output)
                {
                    if (output.ToString().Contains("Address already in use", StringComparison.Ordinal))
                    {
                        throw new PortTakenException(Port);
                    }

                    throw new InvalidOperationException($"redis-server did not answer PING on port {Port}. Its output:\n{output}");
                }
            }

            Thread.Sleep(20);
        }

        if (ProcessIdOnPort() != process.Id)
        {
            Kill();
            throw new PortTakenException(Port);
        }
    }

    /// <summary>Kills the server by its process id (SIGKILL: no goodbye to clients) and waits for it to exit.</summary>
    public void Kill()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            using Process byId = Process.GetProcessById(process.Id);
            byId.Kill();
            process.WaitForExit();
        }
    }

    public void Restart()
    {
        Kill();
        Start();
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool Ping()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            NetworkStream stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Password is null ? "PING\r\n" : "AUTH " + Password + "\r\nPING\r\n"));
            var buffer = new byte[64];
            int read = 0;
            string answer = string.Empty;
            while (!answer.Contains("+PONG", StringComparison.Ordinal) && !answer.Contains('-', StringComparison.Ordinal) && (read = stream.Read(buffer)) > 0)
            {
                answer += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            }

            return answer.Contains("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The process id of the server answering on <see cref="Port"/> (<c>INFO server</c>), or -1.</summary>
    private int ProcessIdOnPort()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            NetworkStream stream = client.GetStream();
            stream.ReadTimeout = 2000;
            stream.Write(System.Text.Encoding.ASCII.GetBytes((Password is null ? string.Empty : "AUTH " + Password + "\r\n") + "INFO server\r\n"));
            var buffer = new byte[8192];
            string answer = string.Empty;
            int read;
            while (!System.Text.RegularExpressions.Regex.IsMatch(answer, @"process_id:\d+\r\n") && !answer.Contains("-ERR", StringComparison.Ordinal) && (read = stream.Read(buffer)) > 0)
            {
                answer += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            }

            var match = System.Text.RegularExpressions.Regex.Match(answer, @"process_id:(\d+)\r\n");
            return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return -1;
        }
    }

    private sealed class PortTakenException(int port) : Exception($"Another redis-server answered on port {port}.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
