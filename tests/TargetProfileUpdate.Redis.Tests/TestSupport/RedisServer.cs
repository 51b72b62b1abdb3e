using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a Unix domain socket in a directory of its own (<c>--port 0 --unixsocket …</c>: no TCP
/// port at all, so none is probed and none can be taken by another process), persistence off, started by the tests and
/// stopped by its process id. It can be killed and restarted on the same socket, for failover tests. StackExchange.Redis
/// reads an endpoint written <c>!/path/to/socket</c> as a Unix socket (a bare <c>/path</c> would be a host name on port
/// 6379), so <see cref="ConnectionString"/> works unchanged in the child processes the tests start. Never a mock, never skipped: without <c>redis-server</c> on the PATH the tests fail and say how to install it.
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
        Endpoint = Path.Combine(_directory, "redis.sock");
        Start();
    }

    public string? Password { get; }

    /// <summary>Starts a server that requires <paramref name="password"/> (<c>requirepass</c>).</summary>
    public static RedisServer WithPassword(string password) => new(password);

    /// <summary>The path of the server's Unix domain socket (private to this server: its own temporary directory).</summary>
    public string Endpoint { get; }

    /// <summary>A connection string that fails fast and reconnects quickly, so failover tests stay short (without the password).</summary>
    public string ConnectionString => $"!{Endpoint},abortConnect=false,connectTimeout=1000,connectRetry=1";

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
        foreach (string argument in new[] { "--port", "0", "--unixsocket", Endpoint, "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory })
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
                    throw new InvalidOperationException($"redis-server did not answer PING on {Endpoint}. Its output:\n{output}");
                }
            }

            // Polls a real process coming up (no fake clock involved); redis-server offers no readiness event to await.
            Thread.Sleep(20);
        }

        // The socket is in a directory of our own, so the server answering is ours; its process id says so.
        int answering = ProcessIdOnSocket();
        if (answering != process.Id)
        {
            Kill();
            throw new InvalidOperationException($"The redis-server answering on {Endpoint} has process id {answering}, not {process.Id}.");
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
            using Socket client = Connect();
            using var stream = new NetworkStream(client);
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

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(Endpoint));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The process id of the server answering on <see cref="Endpoint"/> (<c>INFO server</c>), or -1.</summary>
    private int ProcessIdOnSocket()
    {
        try
        {
            using Socket client = Connect();
            using var stream = new NetworkStream(client);
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
}
