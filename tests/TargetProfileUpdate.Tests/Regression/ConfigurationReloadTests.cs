using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// Issue 19 item 7: a named account's section was re-pointed from acme / host A / TOKEN-OF-ACME to otherco / host B /
/// TOKEN-OF-OTHERCO. Host A then received <c>/m2/acme/profile/update</c> with <c>Bearer TOKEN-OF-OTHERCO</c>: the token was
/// re-read on every call while the host and client code were frozen at start.
/// </summary>
public sealed class ConfigurationReloadTests
{
    [Fact]
    public async Task Reload_RepointingANamedAccountToAnotherHostAndClientCode_NeverSendsTheNewTokenToTheOldHost()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Target:Retail:ClientCode"] = "acme",
            ["Target:Retail:BaseAddress"] = "https://host-a.example.com/",
            ["Target:Retail:AuthorizationToken"] = "TOKEN-OF-ACME",
        }).Build();
        var handler = new RecordingHandler();
        var logs = FakeLogs.Provider();
        var services = TestClients.Services(loggerProvider: logs);
        services.AddTestAccount(handler, configuration.GetSection("Target:Retail"), "retail");
        await using var provider = TestClients.Build(services);
        var client = provider.GetRequiredKeyedService<IProfileUpdateClient>("retail");
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));

        configuration["Target:Retail:ClientCode"] = "otherco";
        configuration["Target:Retail:BaseAddress"] = "https://host-b.example.com/";
        configuration["Target:Retail:AuthorizationToken"] = "TOKEN-OF-OTHERCO";
        configuration.Reload();
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "2"));
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "3"));

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.StartsWith("https://host-a.example.com/m2/acme/profile/update?", r.Url, StringComparison.Ordinal));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer TOKEN-OF-ACME", r.Authorization));
        var refused = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "AccountReloadRefused");
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.Contains("account retail changes its ClientCode or BaseAddress; it is refused", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Collector.Texts(), t => t.Contains("TOKEN-OF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_ThatIsInvalid_IsRefused_AndThePreviousTokenStaysInUse()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TargetProfileUpdate:ClientCode"] = "demo",
            ["TargetProfileUpdate:AuthorizationToken"] = "token-one",
        }).Build();
        var handler = new RecordingHandler();
        var logs = FakeLogs.Provider();
        var services = TestClients.Services(loggerProvider: logs);
        services.AddTestAccount(handler, configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        await using var provider = TestClients.Build(services);
        var client = provider.GetRequiredService<IProfileUpdateClient>();
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));

        configuration["TargetProfileUpdate:AuthorizationToken"] = "token two";
        configuration["TargetProfileUpdate:Resilience:MaxRetryAttemps"] = "2";

        // The options monitor rebuilds (and validates) the options inside Reload, and its exception surfaces there too.
        _ = Record.Exception(configuration.Reload);
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "2"));

        Assert.Equal(["Bearer token-one", "Bearer token-one"], handler.Requests.Select(r => r.Authorization));
        var invalid = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "AccountReloadInvalid");
        Assert.Contains("TargetProfileUpdate:Resilience:MaxRetryAttemps is not a setting", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token two", invalid.Message, StringComparison.Ordinal);
    }
}
