using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddTargetProfileUpdate_ResolvesFromASingletonAndFromAScope()
    {
        var handler = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "demo").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        services.AddSingleton<SingletonConsumer>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await provider.GetRequiredService<SingletonConsumer>().Client.UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1"));
        using (var scope = provider.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "2"));
        }

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task AddTargetProfileUpdate_CalledTwice_RegistersOnceAndDoesNotStackRetries()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"));
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.Resilience.MaxRetryAttempts = 1;
            o.Resilience.BaseDelay = o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(1);
        });
        services.AddTargetProfileUpdate(o => o.AuthorizationToken = "tok").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        using var provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<ProfileApiException>(() => provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1")));

        Assert.Single(services, d => d.ServiceType == typeof(IProfileUpdateClient) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IProfileUpdateClient) && d.IsKeyedService);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer tok", r.Authorization));
    }

    [Fact]
    public async Task AddTargetProfileUpdate_FromConfiguration_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TargetProfileUpdate:ClientCode"] = "acme",
            ["TargetProfileUpdate:BaseAddress"] = "http://localhost:5080/",
            ["TargetProfileUpdate:AuthorizationToken"] = "secret-token",
            ["TargetProfileUpdate:Method"] = "post",
            ["TargetProfileUpdate:MaxGetRequestBytes"] = "4000",
            ["TargetProfileUpdate:MaxPostRequestBytes"] = "30000",
            ["TargetProfileUpdate:Resilience:MaxRetryAttempts"] = "5",
            ["TargetProfileUpdate:Resilience:AttemptTimeout"] = "00:00:03",
            ["TargetProfileUpdate:Resilience:CircuitBreakerEnabled"] = "false",
        }).Build();
        var handler = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(configuration.GetSection(TargetProfileUpdateOptions.SectionName)).ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TargetProfileUpdateOptions>>().Value;
        await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1"));

        Assert.Equal("acme", options.ClientCode);
        Assert.Equal(ProfileUpdateMethod.Post, options.Method);
        Assert.Equal(4000, options.MaxGetRequestBytes);
        Assert.Equal(30000, options.MaxPostRequestBytes);
        Assert.Equal(5, options.Resilience.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Resilience.AttemptTimeout);
        Assert.False(options.Resilience.CircuitBreakerEnabled);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://localhost:5080/m2/acme/profile/update", request.Url);
        Assert.Equal("Bearer secret-token", request.Authorization);
    }

    [Fact]
    public void AddTargetProfileUpdate_MalformedConfigurationValue_FailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TargetProfileUpdate:ClientCode"] = "acme",
            ["TargetProfileUpdate:MaxGetRequestBytes"] = "eight thousand",
        }).Build();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TargetProfileUpdateOptions>>().Value);

        Assert.Contains("TargetProfileUpdate:MaxGetRequestBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_WithInvalidOptions_FailsNamingTheField()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTargetProfileUpdate(o => o.ClientCode = "attacker.example/x?");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ClientCode", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SingletonConsumer(IProfileUpdateClient client)
    {
        public IProfileUpdateClient Client { get; } = client;
    }
}
