using System.Diagnostics;
using System.Text;

namespace TargetProfileUpdate.SharedTestSupport;

/// <summary>
/// The one process runner of the tests: starts a program with its output and error redirected and read line by line as
/// they arrive (so a full pipe never blocks the child), hands out the first line as an event, waits for the exit with the
/// test's own token, and kills the child by its id when the test ends early. Compiled into each test project that needs
/// it (tests/Shared).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<string?> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _firstLine.TrySetResult(null);
                _outputClosed.TrySetResult();
                return;
            }

            lock (_output)
            {
                _output.AppendLine(e.Data);
            }

            _firstLine.TrySetResult(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _errorClosed.TrySetResult();
                return;
            }

            lock (_error)
            {
                _error.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Everything written to standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, each passed as one argument.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments) => new(fileName, arguments);

    /// <summary>
    /// Runs <c>dotnet exec <paramref name="assemblyPath"/> …</c> with the host that runs the tests
    /// (<c>DOTNET_HOST_PATH</c>, else <c>dotnet</c> on the PATH): a test assembly that doubles as a worker.
    /// </summary>
    public static ChildProcess DotnetExec(string assemblyPath, IEnumerable<string> arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return new(dotnet, ["exec", assemblyPath, .. arguments]);
    }

    /// <summary>The first line written to standard output, or null when the child closed it without writing one.</summary>
    public Task<string?> FirstLineAsync(CancellationToken cancellationToken) => _firstLine.Task.WaitAsync(cancellationToken);

    /// <summary>Waits for the exit and for both streams to be read to their end.</summary>
    public async Task<(int ExitCode, string Output, string Error)> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(cancellationToken);
        return (_process.ExitCode, Output, Error);
    }

    /// <summary>Kills the child by its id (SIGKILL, no goodbye) and waits for it to exit.</summary>
    public void Kill()
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            using Process byId = Process.GetProcessById(_process.Id);
            byId.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // it exited in between
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
