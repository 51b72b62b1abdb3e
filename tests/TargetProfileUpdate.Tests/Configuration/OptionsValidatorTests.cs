using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Tests.Configuration;

public sealed class OptionsValidatorTests
{
    private static OptionsValidationException Invalid(Action<TargetProfileUpdateOptions> configure)
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "acme" };
        configure(options);
        return Assert.Throws<OptionsValidationException>(() => new ProfileUpdateClient(options));
    }

    private static void Valid(Action<TargetProfileUpdateOptions> configure)
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "acme" };
        configure(options);
        using var client = new ProfileUpdateClient(options);
    }

    public static TheoryData<string, string, Action<TargetProfileUpdateOptions>> OutOfRange => new()
    {
        { "TargetProfileUpdate:Resilience:AttemptTimeout", "00:00:00.0100000 and 1.00:00:00", o => o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(9) },
        { "TargetProfileUpdate:Resilience:TotalTimeout", "00:00:00.0100000 and 1.00:00:00", o => o.Resilience.TotalTimeout = TimeSpan.FromDays(1.5) },
        { "TargetProfileUpdate:Resilience:BaseDelay", "00:00:00.0000001 and 1.00:00:00", o => o.Resilience.BaseDelay = TimeSpan.Zero },
        { "TargetProfileUpdate:Resilience:MaxRetryAfter", "00:00:00 and", o => o.Resilience.MaxRetryAfter = TimeSpan.FromSeconds(-1) },
        { "TargetProfileUpdate:Resilience:MaxRetryAttempts", "0 and 10", o => o.Resilience.MaxRetryAttempts = 11 },
        { "TargetProfileUpdate:Resilience:CircuitBreakerFailureRatio", "0 exclusive and 1", o => o.Resilience.CircuitBreakerFailureRatio = 0 },
        { "TargetProfileUpdate:Resilience:CircuitBreakerMinimumThroughput", "2 and", o => o.Resilience.CircuitBreakerMinimumThroughput = 1 },
        { "TargetProfileUpdate:Resilience:CircuitBreakerSamplingDuration", "00:00:00.5000000 and 1.00:00:00", o => o.Resilience.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(499) },
        { "TargetProfileUpdate:MaxConnectionsPerServer", "1 and 10000", o => o.MaxConnectionsPerServer = 10_001 },
        { "TargetProfileUpdate:Quota:PermitLimit", "1 and", o => o.Quota.PermitLimit = 0 },
        { "TargetProfileUpdate:Quota:Window", "00:00:00.0000001 and", o => o.Quota.Window = TimeSpan.Zero },
        { "TargetProfileUpdate:Quota:RequestsPerSecond", "0 exclusive", o => o.Quota.RequestsPerSecond = double.NaN },
        { "TargetProfileUpdate:AdobeIms:RefreshBeforeExpiry", "00:00:00 and 12:00:00", o => o.AdobeIms.RefreshBeforeExpiry = TimeSpan.FromHours(13) },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Validate_ValueOutOfRange_NamesTheKeyAndTheRange(string key, string range, Action<TargetProfileUpdateOptions> set)
    {
        var ex = Invalid(set);

        string failure = Assert.Single(ex.Failures);
        Assert.StartsWith(key + " must be between ", failure, StringComparison.Ordinal);
        Assert.Contains(range, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_RequestsPerSecondNotPositiveAndFinite_Fails(double rps)
    {
        Assert.Contains("TargetProfileUpdate:Quota:RequestsPerSecond", Invalid(o => o.Quota.RequestsPerSecond = rps).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedMethod_IsNamed()
    {
        Assert.Contains("TargetProfileUpdate:Method must be Auto, Get or Post.", Invalid(o => o.Method = (ProfileUpdateMethod)42).Failures);
    }

    [Fact]
    public void Validate_NullNestedOptions_AreNamed()
    {
        var ex = Invalid(o => { o.Resilience = null!; o.Quota = null!; o.AdobeIms = null!; });

        Assert.Contains("TargetProfileUpdate:Resilience must not be null.", ex.Failures);
        Assert.Contains("TargetProfileUpdate:Quota must not be null.", ex.Failures);
        Assert.Contains("TargetProfileUpdate:AdobeIms must not be null.", ex.Failures);
    }

    [Fact]
    public void Validate_MaxDelayShorterThanBaseDelay_NamesBoth()
    {
        var failure = Assert.Single(Invalid(o => { o.Resilience.BaseDelay = TimeSpan.FromSeconds(5); o.Resilience.MaxDelay = TimeSpan.FromSeconds(4); }).Failures);

        Assert.Equal("TargetProfileUpdate:Resilience:MaxDelay must not be shorter than TargetProfileUpdate:Resilience:BaseDelay.", failure);
    }

    [Fact]
    public void Validate_TotalTimeoutShorterThanAttemptTimeout_FailsOnlyWhenResilienceIsOn()
    {
        Assert.Single(Invalid(o => o.Resilience.TotalTimeout = TimeSpan.FromSeconds(5)).Failures);
        Valid(o => { o.Resilience.Enabled = false; o.Resilience.TotalTimeout = TimeSpan.FromSeconds(5); });
    }

    [Fact]
    public void Validate_ImsClientIdWithoutTheRest_NamesEachMissingKeyWithoutTheSecret()
    {
        var ex = Invalid(o => o.AdobeIms.ClientId = "client-id-value");

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("TargetProfileUpdate:AdobeIms:ClientSecret is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("TargetProfileUpdate:AdobeIms:Scopes is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("TargetProfileUpdate:AdobeIms:Tenant is required", StringComparison.Ordinal));
        Assert.DoesNotContain("client-id-value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ImsTokenEndpoint")]
    [InlineData("AdminApiBaseAddress")]
    public void Validate_ImsEndpointPlainHttpToARemoteHost_IsNamed(string field)
    {
        var ex = Invalid(o =>
        {
            SetIms(o);
            if (field == "ImsTokenEndpoint")
            {
                o.AdobeIms.ImsTokenEndpoint = new Uri("http://ims.example.com/ims/token/v3");
            }
            else
            {
                o.AdobeIms.AdminApiBaseAddress = new Uri("http://mc.example.com/");
            }
        });

        Assert.StartsWith("TargetProfileUpdate:AdobeIms:" + field + " must use https", Assert.Single(ex.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ImsComplete_WithLoopbackEndpoints_IsAccepted()
    {
        Valid(o =>
        {
            SetIms(o);
            o.AdobeIms.ImsTokenEndpoint = new Uri("http://127.0.0.1:6000/ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = new Uri("http://localhost:6000/");
        });
    }

    [Fact]
    public void Validate_ImsRulesWithoutClientId_AreNotApplied()
    {
        Valid(o => o.AdobeIms.ImsTokenEndpoint = new Uri("http://ims.example.com/"));
    }

    [Theory]
    [InlineData("https://user:pw@edge.example.com/")]
    [InlineData("https://edge.example.com/#frag")]
    public void Validate_BaseAddressWithUserInfoOrFragment_IsNamed(string address)
    {
        Assert.Equal("TargetProfileUpdate:BaseAddress must not carry a query, a fragment or user info.", Assert.Single(Invalid(o => o.BaseAddress = new Uri(address)).Failures));
    }

    [Fact]
    public void Validate_RelativeBaseAddress_IsNamed()
    {
        Assert.Equal("TargetProfileUpdate:BaseAddress must be an absolute URI.", Assert.Single(Invalid(o => o.BaseAddress = new Uri("edge", UriKind.Relative)).Failures));
    }

    [Fact]
    public void Validate_EmptyClientCode_ReportsRequiredOnce()
    {
        Assert.StartsWith("TargetProfileUpdate:ClientCode is required", Assert.Single(Invalid(o => o.ClientCode = "").Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Valid(_ => { });
    }

    [Fact]
    public void Validate_InDiAndWithoutDi_ReportTheSameFailures()
    {
        static void Configure(TargetProfileUpdateOptions o)
        {
            o.ClientCode = "bad.code";
            o.MaxGetRequestBytes = 0;
            o.Resilience.AttemptTimeout = TimeSpan.FromMinutes(2);
            o.AdobeIms.ClientId = "id";
        }

        var services = new ServiceCollection();
        services.AddTargetProfileUpdate("beta", Configure);
        using var provider = services.BuildServiceProvider();
        var inDi = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get("beta"));
        var options = new TargetProfileUpdateOptions();
        Configure(options);
        var withoutDi = Assert.Throws<OptionsValidationException>(() => new ProfileUpdateClient(options));

        Assert.Equal(withoutDi.Failures.Select(f => "Account 'beta': " + f).Order(StringComparer.Ordinal), inDi.Failures.Order(StringComparer.Ordinal));
        Assert.Equal(6, inDi.Failures.Count());
    }

    // Issue 19 item 18: the AdobeIms endpoint URLs accepted user info (https://user:PASSWORD@…), which was then sent to
    // the host and printed by ToString(), documented as safe to log.
    [Theory]
    [InlineData("ImsTokenEndpoint")]
    [InlineData("AdminApiBaseAddress")]
    public void Validate_ImsEndpointWithUserInfo_IsRefusedNamingTheKey_WithoutThePassword(string key)
    {
        var ex = Invalid(o =>
        {
            SetIms(o);
            var uri = new Uri("https://user:PASSWORD-SECRET@ims.example.com/ims/token/v3");
            if (key == "ImsTokenEndpoint")
            {
                o.AdobeIms.ImsTokenEndpoint = uri;
            }
            else
            {
                o.AdobeIms.AdminApiBaseAddress = uri;
            }
        });

        string failure = Assert.Single(ex.Failures);
        Assert.StartsWith("TargetProfileUpdate:AdobeIms:" + key + " must not carry user info", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("PASSWORD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PrivacyBaseAddressWithUserInfo_IsRefusedNamingTheKey_WithoutThePassword()
    {
        var ex = Invalid(o => o.Privacy.BaseAddress = new Uri("https://user:PASSWORD-SECRET@platform.example.com/"));

        Assert.Equal("TargetProfileUpdate:Privacy:BaseAddress must not carry a query, a fragment or user info.", Assert.Single(ex.Failures));
        Assert.DoesNotContain("PASSWORD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfOptionsWithUserInfoOrQueryInEveryEndpoint_NeverPrintsThem()
    {
        var options = new TargetProfileUpdateOptions
        {
            ClientCode = "acme",
            BaseAddress = new Uri("https://user:PASSWORD-BASE@edge.example.com/"),
        };
        SetIms(options);
        options.AdobeIms.ImsTokenEndpoint = new Uri("https://user:PASSWORD-IMS@ims.example.com/ims/token/v3?client_secret=SECRET-IN-QUERY");
        options.AdobeIms.AdminApiBaseAddress = new Uri("https://user:PASSWORD-ADMIN@mc.example.com/");
        options.Privacy.BaseAddress = new Uri("https://user:PASSWORD-PRIVACY@platform.example.com/");

        string text = options.ToString();

        Assert.DoesNotContain("PASSWORD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("user", text, StringComparison.Ordinal);
        Assert.Contains("ImsTokenEndpoint = https://***@ims.example.com/ims/token/v3?***", text, StringComparison.Ordinal);
        Assert.Contains("AdminApiBaseAddress = https://***@mc.example.com/", text, StringComparison.Ordinal);
        Assert.Contains("BaseAddress = https://***@platform.example.com/", options.Privacy.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("ClientCode = acme, BaseAddress = https://***@edge.example.com/,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PASSWORD", options.AdobeIms.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfDefaultEndpoints_PrintsThemUnchanged()
    {
        var ims = new AdobeImsOptions();

        Assert.Contains("ImsTokenEndpoint = https://ims-na1.adobelogin.com/ims/token/v3, AdminApiBaseAddress = https://mc.adobe.io/,", ims.ToString(), StringComparison.Ordinal);
    }

    private static void SetIms(TargetProfileUpdateOptions o)
    {
        o.AdobeIms.ClientId = "client-id";
        o.AdobeIms.ClientSecret = "very-secret";
        o.AdobeIms.Scopes = "openid,AdobeID";
        o.AdobeIms.Tenant = "acme";
    }
}
