namespace TargetProfileUpdate.Redis.Tests;

public sealed class RedisLimitOptionsTests
{
    [Fact]
    public void Defaults_MatchTheAdobeAccountLimits()
    {
        var options = new RedisLimitOptions();

        Assert.Equal(1_000_000, options.QuotaPermitLimit);
        Assert.Equal(TimeSpan.FromHours(24), options.QuotaWindow);
        Assert.Equal(50, options.BulkPermitLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), options.BulkWindow);
        Assert.Equal(RedisUnavailableBehavior.FailOpenWithLocalLimit, options.WhenRedisUnavailable);
        Assert.Equal("targetprofileupdate:acme:", options.ResolveKeyPrefix("acme"));
    }

    [Theory]
    [InlineData(nameof(RedisLimitOptions.QuotaPermitLimit))]
    [InlineData(nameof(RedisLimitOptions.QuotaBucket))]
    [InlineData(nameof(RedisLimitOptions.BulkWindow))]
    [InlineData(nameof(RedisLimitOptions.OperationTimeout))]
    [InlineData(nameof(RedisLimitOptions.LocalFallbackFraction))]
    [InlineData(nameof(RedisLimitOptions.ConnectionString))]
    public void Constructor_WithABadSetting_ThrowsNamingIt(string setting)
    {
        var options = new RedisLimitOptions { ConnectionString = "127.0.0.1:1" };
        switch (setting)
        {
            case nameof(RedisLimitOptions.QuotaPermitLimit): options.QuotaPermitLimit = 0; break;
            case nameof(RedisLimitOptions.QuotaBucket): options.QuotaBucket = TimeSpan.FromSeconds(7); break; // 24 h is not a whole number of 7 s buckets
            case nameof(RedisLimitOptions.BulkWindow): options.BulkWindow = TimeSpan.FromSeconds(0.5); break; // shorter than its bucket
            case nameof(RedisLimitOptions.OperationTimeout): options.OperationTimeout = TimeSpan.Zero; break;
            case nameof(RedisLimitOptions.LocalFallbackFraction): options.LocalFallbackFraction = 1.5; break;
            case nameof(RedisLimitOptions.ConnectionString): options.ConnectionString = null; break;
        }

        var ex = Assert.ThrowsAny<ArgumentException>(() => new RedisAccountLimits(options, "acme"));

        string expected = setting == nameof(RedisLimitOptions.QuotaBucket) ? nameof(RedisLimitOptions.QuotaWindow) : setting;
        Assert.Equal(expected, ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
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

        var ex = Assert.Throws<ArgumentException>(() => new RedisAccountLimits(options, "acme"));

        Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
    }
}
