using System.Diagnostics;
using System.Text;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>Runs the built tool as a real process: <c>dotnet target-profile.dll …</c>, output redirected.</summary>
internal sealed class CliProcess : IDisposable
{
    /// <summary>The tool under test: the build next to the tests, or another build's <c>target-profile.dll</c> named by
    /// <c>CLI_TESTS_TOOL_DLL</c> (to show that a regression test fails on the build before its fix).</summary>
    public static readonly string ToolDll = Environment.GetEnvironmentVariable("CLI_TESTS_TOOL_DLL") is { Length: > 0 } other
        ? other
        : Path.Combine(AppContext.BaseDirectory, "target-profile.dll");

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly TaskCompletionSource _outDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(ToolDll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Sanitize(start.Environment);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data, _outDone);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data, _errDone);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public static CliProcess Start(string workingDirectory, params string[] args) => new(args, workingDirectory);

    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) => new(args, workingDirectory, environment);

    /// <summary>Runs the tool with extra environment variables (a token, a heap limit).</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        return await process.WaitAsync(TimeSpan.FromSeconds(180));
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        return await process.WaitAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>The environment of a user who has configured nothing: no TARGET_* variables leak in from the machine.</summary>
    public static void Sanitize(IDictionary<string, string?> environment)
    {
        foreach (string key in environment.Keys.Where(k => k.StartsWith("TARGET_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        environment["DOTNET_NOLOGO"] = "1";
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("target-profile did not exit within " + timeout + ". Output so far:\n" + StandardOutput);
        }

        await Task.WhenAll(_outDone.Task, _errDone.Task);
        return new CliResult(_process.ExitCode, _out.ToString(), _err.ToString());
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line, TaskCompletionSource done)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}
