using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Tests.Configuration;

/// <summary>
/// Issue 18 item 6: configuration fails loudly and fully. Unknown keys are errors with a suggestion, durations need a unit,
/// every bad value is reported at once, and messages name the account and its real configuration path.
/// </summary>
public sealed class ConfigurationErrorsTests
{
    private static OptionsValidationException Invalid(Dictionary<string, string?> values, string section = "TargetProfileUpdate", string? name = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        if (name is null)
        {
            services.AddTargetProfileUpdate(configuration.GetSection(section));
        }
        else
        {
            services.AddTargetProfileUpdate(name, configuration.GetSection(section));
        }

        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(name ?? Options.DefaultName));
    }

    private static TargetProfileUpdateOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(configuration.GetSection("TargetProfileUpdate"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(Options.DefaultName);
    }

    [Theory]
    [InlineData("Resilience:MaxRetryAttemps", "Resilience:MaxRetryAttempts")]
    [InlineData("MaxGetRequestByte", "MaxGetRequestBytes")]
    [InlineData("AuthorisationToken", "AuthorizationToken")]
    [InlineData("quota:windw", "quota:Window")]
    [InlineData("AdobeIms:ClientSecrte", "AdobeIms:ClientSecret")]
    public void UnknownKey_IsAnError_NamingTheKeyAndTheClosestValidKey(string misspelled, string suggested)
    {
        var ex = Invalid(new() { ["TargetProfileUpdate:ClientCode"] = "acme", ["TargetProfileUpdate:" + misspelled] = "s3cret-value" });

        string failure = Assert.Single(ex.Failures);
        Assert.Equal("TargetProfileUpdate:" + misspelled + " is not a setting; did you mean TargetProfileUpdate:" + suggested + "?", failure);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyUnderAValue_IsAnError()
    {
        var ex = Invalid(new() { ["TargetProfileUpdate:ClientCode"] = "acme", ["TargetProfileUpdate:MaxConnectionsPerServer:Min"] = "3" });

        Assert.StartsWith("TargetProfileUpdate:MaxConnectionsPerServer is a single value, not a section", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quota:Window", "7")]
    [InlineData("Resilience:CircuitBreakerBreakDuration", "1")]
    [InlineData("Resilience:TotalTimeout", "60")]
    [InlineData("Resilience:AttemptTimeout", "2.5")]
    public void BareNumberDuration_IsRefused_SayingItWouldBeReadAsDays(string key, string value)
    {
        var ex = Invalid(new() { ["TargetProfileUpdate:ClientCode"] = "acme", ["TargetProfileUpdate:" + key] = value });

        Assert.Equal(
            "TargetProfileUpdate:" + key + " is a number without a unit, which would be read as days: write it with a unit or as a time (500ms, 30s, 5m, 1h, hh:mm:ss or d.hh:mm:ss).",
            Assert.Single(ex.Failures));
    }

    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "30s", TimeSpan.FromSeconds(30) },
        { "1.5s", TimeSpan.FromSeconds(1.5) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "1h", TimeSpan.FromHours(1) },
        { " 2h ", TimeSpan.FromHours(2) },
        { "00:00:45", TimeSpan.FromSeconds(45) },
        { "00:00:00.250", TimeSpan.FromMilliseconds(250) },
        { "1.02:00:00", TimeSpan.FromHours(26) },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Duration_WithAUnitOrAsATime_IsBound(string text, TimeSpan expected)
    {
        var o = Bind(new()
        {
            ["TargetProfileUpdate:ClientCode"] = "acme",
            ["TargetProfileUpdate:Quota:Window"] = text,
        });

        Assert.Equal(expected, o.Quota.Window);
    }

    [Theory]
    [InlineData("5 minutes")]
    [InlineData("5M")]
    [InlineData("ten seconds")]
    [InlineData("1:99:00")]
    public void Duration_Malformed_IsNamedWithTheAcceptedForms(string text)
    {
        var ex = Invalid(new() { ["TargetProfileUpdate:ClientCode"] = "acme", ["TargetProfileUpdate:Resilience:MaxDelay"] = text });

        Assert.Equal("TargetProfileUpdate:Resilience:MaxDelay must be a duration: 500ms, 30s, 5m, 1h, hh:mm:ss or d.hh:mm:ss.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void ThreeBadValues_AreReportedTogether_InOneMessage()
    {
        var ex = Invalid(new()
        {
            ["TargetProfileUpdate:ClientCode"] = "acme",
            ["TargetProfileUpdate:Resilience:MaxRetryAttemps"] = "4",
            ["TargetProfileUpdate:Quota:Window"] = "7",
            ["TargetProfileUpdate:Resilience:MaxRetryAttempts"] = "11",
        });

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains("TargetProfileUpdate:Resilience:MaxRetryAttemps is not a setting", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TargetProfileUpdate:Quota:Window is a number without a unit", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TargetProfileUpdate:Resilience:MaxRetryAttempts must be between 0 and 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_WithSeveralBadValues_FailsOnce_ListingEveryOne()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Target:Retail:ClientCode"] = "retail",
            ["Target:Retail:MaxPostRequestBytes"] = "lots",
            ["Target:Retail:Resilience:AttemptTimeout"] = "10",
            ["Target:Retail:Resilience:MaxRetryAttempts"] = "-1",
            ["Target:Retail:Quota:Enabeld"] = "false",
        });
        builder.Services.AddTargetProfileUpdate("retail", builder.Configuration.GetSection("Target:Retail"));
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            [
                "Account 'retail': Target:Retail:MaxPostRequestBytes must be a whole number.",
                "Account 'retail': Target:Retail:Quota:Enabeld is not a setting; did you mean Target:Retail:Quota:Enabled?",
                "Account 'retail': Target:Retail:Resilience:AttemptTimeout is a number without a unit, which would be read as days: write it with a unit or as a time (500ms, 30s, 5m, 1h, hh:mm:ss or d.hh:mm:ss).",
                "Account 'retail': Target:Retail:Resilience:MaxRetryAttempts must be between 0 and 10.",
            ],
            ex.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NamedAccount_RangeFailure_NamesTheAccountAndItsRealPath()
    {
        var ex = Invalid(
            new() { ["Target:Retail:ClientCode"] = "retail", ["Target:Retail:Resilience:MaxRetryAttempts"] = "11" },
            section: "Target:Retail",
            name: "retail");

        Assert.Equal("Account 'retail': Target:Retail:Resilience:MaxRetryAttempts must be between 0 and 10.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void NamedAccount_MisspelledSection_SaysWhichSectionHasNoClientCode()
    {
        var ex = Invalid(new() { ["Target:Retail:ClientCode"] = "retail" }, section: "Target:Retial", name: "retail");

        Assert.StartsWith("Account 'retail': Target:Retial:ClientCode is required", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void NamedAccount_CrossFieldFailure_NamesBothRealKeys()
    {
        var ex = Invalid(
            new() { ["Target:Retail:ClientCode"] = "retail", ["Target:Retail:Resilience:BaseDelay"] = "5s", ["Target:Retail:Resilience:MaxDelay"] = "4s" },
            section: "Target:Retail",
            name: "retail");

        Assert.Equal("Account 'retail': Target:Retail:Resilience:MaxDelay must not be shorter than Target:Retail:Resilience:BaseDelay.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void ConfigurationRoot_KeysAreNamedWithoutAPrefix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ClientCode"] = "acme", ["MaxRetryAttempts"] = "3" }).Build();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(Options.DefaultName));

        Assert.Equal("MaxRetryAttempts is not a setting; did you mean MaxGetRequestBytes?", Assert.Single(ex.Failures));
    }
}
