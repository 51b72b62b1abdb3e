using System.Globalization;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;
using TargetProfileUpdate.SharedTestSupport;

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
        var processes = new List<ChildProcess>();
        try
        {
            for (int i = 0; i < Workers; i++)
            {
                processes.Add(ChildProcess.DotnetExec(assembly, [Program.WorkerCommand, redis.ConnectionString, prefix, Inv(Limit), Inv(AttemptsPerWorker), Inv(Workers)]));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            int granted = 0, refused = 0, withRetryAfter = 0, unavailable = 0;
            foreach (ChildProcess process in processes)
            {
                var (exitCode, text, error) = await process.WaitForExitAsync(timeout.Token);
                Assert.True(exitCode == 0, $"Worker {process.Id} exited with {exitCode}: {text} {error}");
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
            foreach (ChildProcess process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"granted=(?<granted>\d+) refused=(?<refused>\d+) refusedWithRetryAfter=(?<retry>\d+) unavailable=(?<unavailable>\d+)")]
    private static partial Regex ResultLine();
}
