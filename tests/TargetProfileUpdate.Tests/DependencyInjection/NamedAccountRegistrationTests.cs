using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.DependencyInjection;

/// <summary>Named accounts: keyed services, registration idempotent per name.</summary>
public sealed class NamedAccountRegistrationTests
{
    [Fact]
    public async Task RegisteringTheSameNameTwice_RegistersOnce_AndSendsOncePerCall()
    {
        var handler = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate("alpha", o => o.ClientCode = "alpha").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        services.AddTargetProfileUpdate("alpha", o => o.AuthorizationToken = "alpha-token");
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Single(provider.GetKeyedServices<IProfileUpdateClient>("alpha"));
        Assert.Single(provider.GetKeyedServices<IProfileFetchClient>("alpha"));
        Assert.Single(services, d => d.IsKeyedService && Equals(d.ServiceKey, "alpha") && d.ServiceType == typeof(IProfileUpdateClient));
        Assert.Null(provider.GetService<IProfileUpdateClient>()); // a named account registers no default account
        await provider.GetRequiredKeyedService<IProfileUpdateClient>("alpha").UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("Bearer alpha-token", sent.Authorization); // the second call's configuration applies
        Assert.StartsWith("https://alpha.tt.omtrdc.net/m2/alpha/", sent.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoNames_GetTwoClients_AndTheDefaultAccountIsSeparate()
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "main");
        services.AddTargetProfileUpdate("alpha", o => o.ClientCode = "alpha");
        services.AddTargetProfileUpdate("beta", o => o.ClientCode = "beta");
        using var provider = services.BuildServiceProvider();

        var all = new object[]
        {
            provider.GetRequiredService<IProfileUpdateClient>(),
            provider.GetRequiredKeyedService<IProfileUpdateClient>("alpha"),
            provider.GetRequiredKeyedService<IProfileUpdateClient>("beta"),
        };

        Assert.Equal(3, all.Distinct().Count());
        Assert.Same(all[1], provider.GetRequiredKeyedService<IProfileUpdateClient>("alpha"));
    }
}
