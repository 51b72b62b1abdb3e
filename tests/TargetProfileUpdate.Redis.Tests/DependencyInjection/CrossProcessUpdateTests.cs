using System.Globalization;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.Redis.Tests.DependencyInjection;

/// <summary>
/// Four service instances (separate OS processes, each the DI-registered SDK with <c>UseRedisLimits</c>) share one
/// account whose only limit setting is its own <c>Quota:PermitLimit</c> = 3,000, and send 1,500 real updates each to one
/// emulator (issue 18 item 7: before, <c>UseRedisLimits</c> enforced its own 1,000,000 and all 6,000 were sent).
/// </summary>
[Trait("Category", "Slow")] // a real redis-server
public sealed partial class CrossProcessUpdateTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Workers = 4;
    private const int Limit = 3_000;
    private const int UpdatesPerWorker = 1_500;
    private const int Concurrency = 32;

    [Fact]
    public async Task FourProcesses_AccountQuotaPermitLimitOnly_SendExactlyTheAccountsLimit_AndReportEveryOtherUpdateRateLimitedWithRetryAfter()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        string prefix = $"test:{Guid.NewGuid():N}:{{clientCode}}:";
        string assembly = typeof(CrossProcessUpdateTests).Assembly.Location;
        var processes = new List<ChildProcess>();
        try
        {
            for (int i = 0; i < Workers; i++)
            {
                processes.Add(ChildProcess.DotnetExec(assembly,
                [
                    Program.UpdateWorkerCommand, emulator.BaseAddress.ToString(), emulator.ClientCode, redis.ConnectionString,
                    prefix, Inv(Limit), Inv(UpdatesPerWorker), Inv(Workers), Inv(Concurrency),
                ]));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            long accepted = 0, rateLimited = 0, withRetryAfter = 0, sentBeforeRefusal = 0, other = 0;
            foreach (ChildProcess process in processes)
            {
                var (exitCode, text, error) = await process.WaitForExitAsync(timeout.Token);
                Assert.True(exitCode == 0, $"Worker {process.Id} exited with {exitCode}: {text} {error}");
                Match m = ResultLine().Match(text);
                Assert.True(m.Success, $"Worker {process.Id} printed no result: {text}");
                long Get(string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

                // Each instance accounts for every update it was given.
                Assert.Equal(UpdatesPerWorker, Get("submitted"));
                Assert.Equal(Get("submitted"), Get("accepted") + Get("failed") + Get("notSent"));
                Assert.Equal(0, Get("notSent"));
                Assert.Equal("True", m.Groups["available"].Value);
                accepted += Get("accepted");
                rateLimited += Get("rateLimited");
                withRetryAfter += Get("retry");
                sentBeforeRefusal += Get("sent");
                other += Get("other");
            }

            Assert.Equal(Limit, accepted);
            Assert.Equal((Workers * UpdatesPerWorker) - Limit, rateLimited);
            Assert.Equal(rateLimited, withRetryAfter);
            Assert.Equal(0, sentBeforeRefusal);
            Assert.Equal(0, other);

            // The emulator received and applied exactly the limit; Redis counted exactly the limit.
            Assert.Equal(Limit, emulator.GetRequests().Count);
            Assert.Equal(Limit, emulator.AppliedUpdates);
            await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
            Assert.Equal(Limit, await Limits.CountedAsync(admin, prefix.Replace("{clientCode}", "acme", StringComparison.Ordinal) + "quota"));
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

    [GeneratedRegex(@"submitted=(?<submitted>\d+) accepted=(?<accepted>\d+) failed=(?<failed>\d+) notSent=(?<notSent>\d+) rateLimited=(?<rateLimited>\d+) withRetryAfter=(?<retry>\d+) sentBeforeRefusal=(?<sent>\d+) other=(?<other>\d+) redisAvailable=(?<available>\w+)")]
    private static partial Regex ResultLine();
}
