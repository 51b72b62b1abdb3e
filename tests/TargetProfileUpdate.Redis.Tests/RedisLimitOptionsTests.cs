using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

public sealed class RedisLimitOptionsTests
{
    [Fact]
    public void Defaults_AddOnlyRedisSettings()
    {
        var options = new RedisLimitOptions();

        Assert.Null(options.QuotaBucket);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BulkBucket);
        Assert.Equal(RedisUnavailableBehavior.FailOpenWithLocalLimit, options.WhenRedisUnavailable);
        Assert.Equal("targetprofileupdate:acme:", options.ResolveKeyPrefix("acme"));

        // No limit of its own: the limits are the account's (Quota:PermitLimit, Quota:Window) and Adobe's bulk limit.
        Assert.DoesNotContain(typeof(RedisLimitOptions).GetProperties(), p => p.Name.Contains("PermitLimit", StringComparison.Ordinal) || p.Name.EndsWith("Window", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(RedisLimitOptions.QuotaBucket))]
    [InlineData(nameof(RedisLimitOptions.OperationTimeout))]
    [InlineData(nameof(RedisLimitOptions.LocalFallbackFraction))]
    [InlineData(nameof(RedisLimitOptions.ConnectionString))]
    [InlineData(nameof(RedisLimitOptions.KeyPrefix))]
    public void Constructor_WithABadSetting_ThrowsNamingIt(string setting)
    {
        var options = new RedisLimitOptions { ConnectionString = "127.0.0.1:1" };
        switch (setting)
        {
            case nameof(RedisLimitOptions.QuotaBucket): options.QuotaBucket = TimeSpan.FromSeconds(1); break; // 24 h is 86,400 buckets of 1 s
            case nameof(RedisLimitOptions.OperationTimeout): options.OperationTimeout = TimeSpan.Zero; break;
            case nameof(RedisLimitOptions.LocalFallbackFraction): options.LocalFallbackFraction = 1.5; break;
            case nameof(RedisLimitOptions.ConnectionString): options.ConnectionString = null; break;
            case nameof(RedisLimitOptions.KeyPrefix): options.KeyPrefix = ""; break;
        }

        var ex = Assert.ThrowsAny<ArgumentException>(() => new RedisAccountLimits(options, Limits.Account("acme")));

        Assert.Contains("RedisLimitOptions." + setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadSettings_AreReportedTogether_ByTheGeneratedValidator()
    {
        var options = new RedisLimitOptions { OperationTimeout = TimeSpan.FromMinutes(1), LocalFallbackFraction = 0, KeyPrefix = "shared:" };

        var ex = Assert.Throws<ArgumentException>(() => new RedisAccountLimits(options, Limits.Account("acme")));

        Assert.Contains("RedisLimitOptions.OperationTimeout must be between", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RedisLimitOptions.LocalFallbackFraction must be between", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RedisLimitOptions.ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RedisLimitOptions.KeyPrefix must contain {clientCode}", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 19 item 17: a custom KeyPrefix without the client code made two accounts share one count, without a word.</summary>
    [Fact]
    public async Task KeyPrefixWithoutTheClientCode_IsRefusedAtStart_SoTwoAccountsCannotShareACountSilently()
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate("a", o => o.ClientCode = "acme").UseRedisLimits(o => { o.ConnectionString = "127.0.0.1:1"; o.KeyPrefix = "limits:"; });
        services.AddTargetProfileUpdate("b", o => o.ClientCode = "globex").UseRedisLimits(o => { o.ConnectionString = "127.0.0.1:1"; o.KeyPrefix = "limits:"; });
        await using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IProfileUpdateClient>("a"));

        Assert.Equal("Account 'a': RedisLimitOptions.KeyPrefix must contain {clientCode}: without it two accounts would share one count.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void ToString_HidesTheConnectionString()
    {
        var options = new RedisLimitOptions { ConnectionString = "redis.internal:6380,password=hunter2,ssl=true" };

        string text = options.ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("redis.internal", text, StringComparison.Ordinal);
        Assert.Contains("hidden", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithAnUnparsableConnectionString_DoesNotRepeatIt()
    {
        var options = new RedisLimitOptions { ConnectionString = "host:1,password=hunter2,notAnOption=x" };

        var ex = Assert.Throws<ArgumentException>(() => new RedisAccountLimits(options, Limits.Account("acme")));

        Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
    }
}
