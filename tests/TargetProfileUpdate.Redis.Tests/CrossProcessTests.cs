using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

[Trait("Category", "Slow")] // a real redis-server
public sealed partial class CrossProcessTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Workers = 4;
    private const int Limit = 5_000;
    private const int AttemptsPerWorker = 3_000;

    [Fact]
    public async Task Quota_FourProcessesSharingOneLimit_GrantExactlyTheLimitInTotal()
    {
        string prefix = $"test:{Guid.NewGuid():N}:{{clientCode}}:";
        string assembly = typeof(CrossProcessTests).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var processes = new List<(Process Process, Task<string> Output, Task<string> Error)>();
        try
        {
            for (int i = 0; i < Workers; i++)
            {
                var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string argument in new[] { "exec", assembly, Program.WorkerCommand, redis.ConnectionString, prefix, Inv(Limit), Inv(AttemptsPerWorker), Inv(Workers) })
                {
                    start.ArgumentList.Add(argument);
                }

                Process process = Process.Start(start)!;
                processes.Add((process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            int granted = 0, refused = 0, withRetryAfter = 0, unavailable = 0;
            foreach ((Process process, Task<string> output, Task<string> error) in processes)
            {
                await process.WaitForExitAsync(timeout.Token);
                string text = await output;
                Assert.True(process.ExitCode == 0, $"Worker {process.Id} exited with {process.ExitCode}: {text} {await error}");
                Match m = ResultLine().Match(text);
                Assert.True(m.Success, $"Worker {process.Id} printed no result: {text}");
                granted += int.Parse(m.Groups["granted"].Value, CultureInfo.InvariantCulture);
                refused += int.Parse(m.Groups["refused"].Value, CultureInfo.InvariantCulture);
                withRetryAfter += int.Parse(m.Groups["retry"].Value, CultureInfo.InvariantCulture);
                unavailable += int.Parse(m.Groups["unavailable"].Value, CultureInfo.InvariantCulture);
            }

            Assert.Equal(0, unavailable);
            Assert.Equal(Limit, granted);
            Assert.Equal((Workers * AttemptsPerWorker) - Limit, refused);
            Assert.Equal(refused, withRetryAfter);
            await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
            Assert.Equal(Limit, await Limits.CountedAsync(admin, prefix.Replace("{clientCode}", "cross-process", StringComparison.Ordinal) + "quota"));
        }
        finally
        {
            foreach ((Process process, _, _) in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"granted=(?<granted>\d+) refused=(?<refused>\d+) refusedWithRetryAfter=(?<retry>\d+) unavailable=(?<unavailable>\d+)")]
    private static partial Regex ResultLine();
}
