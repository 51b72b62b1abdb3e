using TargetProfileUpdate.Cli.Hosting;

namespace TargetProfileUpdate.Cli.Tests.Hosting;

/// <summary>Sets process environment variables, so it runs alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Issue 18 item 6: the CLI builds its options by binding configuration. Before, <c>TargetSession.Copy</c> copied the
/// options field by field and dropped <c>Method</c>, <c>MaxGetRequestBytes</c> and <c>MaxPostRequestBytes</c>.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class TargetSessionTests
{
    [Fact]
    public async Task OpenAsync_EverySdkOptionFromTheEnvironment_ReachesTheClient_NoneDropped()
    {
        using var env = new Variables(new()
        {
            ["TargetProfileUpdate__Method"] = "Post",
            ["TargetProfileUpdate__MaxGetRequestBytes"] = "1234",
            ["TargetProfileUpdate__MaxPostRequestBytes"] = "5678",
            ["TargetProfileUpdate__Resilience__MaxRetryAttempts"] = "5",
            ["TargetProfileUpdate__Quota__Window"] = "1h",
        });

        await using var session = await TargetSession.OpenAsync(Parse("--client-code", "acme"), o => o.MaxConnectionsPerServer = 7, CancellationToken.None);

        Assert.Equal(ProfileUpdateMethod.Post, session.Options.Method);
        Assert.Equal(1234, session.Options.MaxGetRequestBytes);
        Assert.Equal(5678, session.Options.MaxPostRequestBytes);
        Assert.Equal(5, session.Options.Resilience.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromHours(1), session.Options.Quota.Window);
        Assert.Equal(7, session.Options.MaxConnectionsPerServer);
        Assert.Equal("acme", session.Options.ClientCode);
    }

    [Fact]
    public async Task OpenAsync_MisspelledSdkOption_IsAUsageErrorNamingTheClosestKey()
    {
        using var env = new Variables(new() { ["TargetProfileUpdate__Methd"] = "Post" });

        var ex = await Assert.ThrowsAsync<UsageException>(() => TargetSession.OpenAsync(Parse("--client-code", "acme"), null, CancellationToken.None));

        Assert.Equal("Configuration error: TargetProfileUpdate:Methd is not a setting; did you mean TargetProfileUpdate:Method?", ex.Message);
    }

    private static System.CommandLine.ParseResult Parse(params string[] global) =>
        Program.BuildCommand().Parse(["fetch", .. global, "--third-party-id", "crm-1"]);

    private sealed class Variables : IDisposable
    {
        private readonly Dictionary<string, string?> _values;

        public Variables(Dictionary<string, string?> values)
        {
            _values = values;
            foreach (var (key, value) in values)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }

        public void Dispose()
        {
            foreach (string key in _values.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }
}
