using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Tests.Configuration;

public sealed class OptionsBindingTests
{
    /// <summary>Every public option, each with a value that differs from its default.</summary>
    private static readonly Dictionary<string, string?> EveryOption = new()
    {
        ["TargetProfileUpdate:ClientCode"] = "acme",
        ["TargetProfileUpdate:BaseAddress"] = "http://127.0.0.1:5080/",
        ["TargetProfileUpdate:AuthorizationToken"] = "static-token",
        ["TargetProfileUpdate:Method"] = "post",
        ["TargetProfileUpdate:MaxGetRequestBytes"] = "4000",
        ["TargetProfileUpdate:MaxPostRequestBytes"] = "30000",
        ["TargetProfileUpdate:MaxConnectionsPerServer"] = "7",
        ["TargetProfileUpdate:Linting"] = "strict",
        ["TargetProfileUpdate:AttributeCatalogCacheDuration"] = "00:05:00",
        ["TargetProfileUpdate:AdobeIms:ClientId"] = "client-id",
        ["TargetProfileUpdate:AdobeIms:ClientSecret"] = "client-secret",
        ["TargetProfileUpdate:AdobeIms:Scopes"] = "openid,AdobeID,target_sdk",
        ["TargetProfileUpdate:AdobeIms:Tenant"] = "acmetenant",
        ["TargetProfileUpdate:AdobeIms:ImsTokenEndpoint"] = "http://localhost:6000/ims/token/v3",
        ["TargetProfileUpdate:AdobeIms:AdminApiBaseAddress"] = "http://localhost:6000/",
        ["TargetProfileUpdate:AdobeIms:RefreshBeforeExpiry"] = "2m",
        ["TargetProfileUpdate:AdobeIms:CreateTokenIfMissing"] = "true",
        ["TargetProfileUpdate:Resilience:Enabled"] = "false",
        ["TargetProfileUpdate:Resilience:MaxRetryAttempts"] = "5",
        ["TargetProfileUpdate:Resilience:BaseDelay"] = "2s",
        ["TargetProfileUpdate:Resilience:MaxDelay"] = "00:00:09",
        ["TargetProfileUpdate:Resilience:MaxRetryAfter"] = "00:00:40",
        ["TargetProfileUpdate:Resilience:AttemptTimeout"] = "3000ms",
        ["TargetProfileUpdate:Resilience:TotalTimeout"] = "00:00:45",
        ["TargetProfileUpdate:Resilience:CircuitBreakerEnabled"] = "false",
        ["TargetProfileUpdate:Resilience:CircuitBreakerFailureRatio"] = "0.25",
        ["TargetProfileUpdate:Resilience:CircuitBreakerMinimumThroughput"] = "12",
        ["TargetProfileUpdate:Resilience:CircuitBreakerSamplingDuration"] = "00:01:00",
        ["TargetProfileUpdate:Resilience:CircuitBreakerBreakDuration"] = "00:00:20",
        ["TargetProfileUpdate:BulkStatusResilience:Enabled"] = "false",
        ["TargetProfileUpdate:BulkStatusResilience:MaxRetryAttempts"] = "1",
        ["TargetProfileUpdate:BulkStatusResilience:BaseDelay"] = "250ms",
        ["TargetProfileUpdate:BulkStatusResilience:MaxDelay"] = "1s",
        ["TargetProfileUpdate:BulkStatusResilience:MaxRetryAfter"] = "5s",
        ["TargetProfileUpdate:BulkStatusResilience:AttemptTimeout"] = "4s",
        ["TargetProfileUpdate:BulkStatusResilience:TotalTimeout"] = "12s",
        ["TargetProfileUpdate:BulkStatusResilience:CircuitBreakerEnabled"] = "false",
        ["TargetProfileUpdate:BulkStatusResilience:CircuitBreakerFailureRatio"] = "0.75",
        ["TargetProfileUpdate:BulkStatusResilience:CircuitBreakerMinimumThroughput"] = "8",
        ["TargetProfileUpdate:BulkStatusResilience:CircuitBreakerSamplingDuration"] = "2m",
        ["TargetProfileUpdate:BulkStatusResilience:CircuitBreakerBreakDuration"] = "40s",
        ["TargetProfileUpdate:Quota:Enabled"] = "false",
        ["TargetProfileUpdate:Quota:PermitLimit"] = "5000",
        ["TargetProfileUpdate:Quota:Window"] = "01:00:00",
        ["TargetProfileUpdate:Quota:RequestsPerSecond"] = "12.5",
        ["TargetProfileUpdate:Privacy:ImsOrgId"] = "ABC123@AdobeOrg",
        ["TargetProfileUpdate:Privacy:BaseAddress"] = "http://localhost:6000/",
        ["TargetProfileUpdate:Privacy:HashSecret"] = "0123456789abcdef0123456789abcdef",
        ["TargetProfileUpdate:Privacy:SuppressOnDeletion"] = "false",
    };

    private static TargetProfileUpdateOptions Bind(Dictionary<string, string?> values, string? name = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        var section = configuration.GetSection(TargetProfileUpdateOptions.SectionName);
        if (name is null)
        {
            services.AddTargetProfileUpdate(section);
        }
        else
        {
            services.AddTargetProfileUpdate(name, section);
        }

        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(name ?? Options.DefaultName);
    }

    [Fact]
    public void Bind_EveryPublicOption_ArrivesWithItsValue()
    {
        var o = Bind(EveryOption);

        Assert.Equal("acme", o.ClientCode);
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), o.BaseAddress);
        Assert.Equal("static-token", o.AuthorizationToken);
        Assert.Equal(ProfileUpdateMethod.Post, o.Method);
        Assert.Equal(4000, o.MaxGetRequestBytes);
        Assert.Equal(30000, o.MaxPostRequestBytes);
        Assert.Equal(7, o.MaxConnectionsPerServer);
        Assert.Equal(ProfileLintMode.Strict, o.Linting);
        Assert.Equal(TimeSpan.FromMinutes(5), o.AttributeCatalogCacheDuration);

        Assert.Equal("client-id", o.AdobeIms.ClientId);
        Assert.Equal("client-secret", o.AdobeIms.ClientSecret);
        Assert.Equal("openid,AdobeID,target_sdk", o.AdobeIms.Scopes);
        Assert.Equal("acmetenant", o.AdobeIms.Tenant);
        Assert.Equal(new Uri("http://localhost:6000/ims/token/v3"), o.AdobeIms.ImsTokenEndpoint);
        Assert.Equal(new Uri("http://localhost:6000/"), o.AdobeIms.AdminApiBaseAddress);
        Assert.Equal(TimeSpan.FromMinutes(2), o.AdobeIms.RefreshBeforeExpiry);
        Assert.True(o.AdobeIms.CreateTokenIfMissing);

        var r = o.Resilience;
        Assert.False(r.Enabled);
        Assert.Equal(5, r.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), r.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(9), r.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(40), r.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), r.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), r.TotalTimeout);
        Assert.False(r.CircuitBreakerEnabled);
        Assert.Equal(0.25, r.CircuitBreakerFailureRatio);
        Assert.Equal(12, r.CircuitBreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(1), r.CircuitBreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(20), r.CircuitBreakerBreakDuration);

        var s = o.BulkStatusResilience;
        Assert.False(s.Enabled);
        Assert.Equal(1, s.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), s.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), s.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(4), s.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(12), s.TotalTimeout);
        Assert.False(s.CircuitBreakerEnabled);
        Assert.Equal(0.75, s.CircuitBreakerFailureRatio);
        Assert.Equal(8, s.CircuitBreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(2), s.CircuitBreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(40), s.CircuitBreakerBreakDuration);

        var q = o.Quota;
        Assert.False(q.Enabled);
        Assert.Equal(5000, q.PermitLimit);
        Assert.Equal(TimeSpan.FromHours(1), q.Window);
        Assert.Equal(12.5, q.RequestsPerSecond);

        var p = o.Privacy;
        Assert.Equal("ABC123@AdobeOrg", p.ImsOrgId);
        Assert.Equal(new Uri("http://localhost:6000/"), p.BaseAddress);
        Assert.Equal("0123456789abcdef0123456789abcdef", p.HashSecret);
        Assert.False(p.SuppressOnDeletion);
    }

    [Fact]
    public void Bind_EveryOptionTest_CoversEveryPublicSettableProperty()
    {
        // A new option without a key in EveryOption (and so without an assertion above) fails here.
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        Collect(typeof(TargetProfileUpdateOptions), TargetProfileUpdateOptions.SectionName, expected);

        Assert.Equal(expected, new SortedSet<string>(EveryOption.Keys, StringComparer.Ordinal));

        static void Collect(Type type, string prefix, SortedSet<string> keys)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType != typeof(Uri))
                {
                    Collect(property.PropertyType, prefix + ":" + property.Name, keys);
                }
                else
                {
                    keys.Add(prefix + ":" + property.Name);
                }
            }
        }
    }

    [Fact]
    public void Bind_NamedAccount_BindsItsOwnSectionLikeTheDefault()
    {
        var o = Bind(EveryOption, name: "beta");

        Assert.Equal("acme", o.ClientCode);
        Assert.Equal(7, o.MaxConnectionsPerServer);
        Assert.Equal(12.5, o.Quota.RequestsPerSecond);
        Assert.Equal("acmetenant", o.AdobeIms.Tenant);
    }

    [Fact]
    public void Bind_KeysInAnyCase_AreMatched()
    {
        var o = Bind(new Dictionary<string, string?>
        {
            ["targetprofileupdate:clientcode"] = "acme",
            ["TARGETPROFILEUPDATE:RESILIENCE:MAXRETRYATTEMPTS"] = "4",
        });

        Assert.Equal("acme", o.ClientCode);
        Assert.Equal(4, o.Resilience.MaxRetryAttempts);
    }

    public static TheoryData<string, string> MalformedValues => new()
    {
        { "MaxGetRequestBytes", "s3cret-eight-thousand" },
        { "Resilience:AttemptTimeout", "s3cret-ten-seconds" },
        { "Resilience:CircuitBreakerFailureRatio", "s3cret-half" },
        { "Resilience:Enabled", "s3cret-yes" },
        { "Quota:RequestsPerSecond", "s3cret-fast" },
        { "AdobeIms:RefreshBeforeExpiry", "s3cret-soon" },
        { "Method", "s3cret-put" },
        { "BaseAddress", "http://[s3cret" },
    };

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void Bind_MalformedValue_FailsNamingTheKeyWithoutTheValue(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new Dictionary<string, string?>
        {
            ["TargetProfileUpdate:ClientCode"] = "acme",
            ["TargetProfileUpdate:" + key] = value,
        }));

        Assert.StartsWith("TargetProfileUpdate:" + key + " ", Assert.Single(ex.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void DescribeWithoutValue_UnknownWording_NamesTheSectionOnly()
    {
        var section = new ConfigurationBuilder().Build().GetSection("TargetProfileUpdate");

        string message = TargetProfileUpdate.Configuration.OptionsBinder.DescribeWithoutValue("Value 's3cret' is bad.", section);

        Assert.Equal("A configuration value under 'TargetProfileUpdate' could not be bound to its option's type.", message);
    }
}
