using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Regression;

/// <summary>
/// Issue 18 item 8: <c>ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c> (the .NET Aspire service
/// defaults) wrapped the SDK's own client too. With 40 × 503 injected, the server saw 16 requests instead of 4 and the call
/// took 30 s. The SDK's pipeline owns retries: handlers added for every client must not stack on it.
/// </summary>
public sealed class StandardResilienceHandlerCoexistenceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StandardResilienceHandlerForAllClients_DoesNotWrapTheSdk_TheWireSeesOnlyTheSdksAttempts(bool defaultsFirst)
    {
        await using var emulator = await TargetEmulator.StartAsync();
        emulator.SeedProfile(thirdPartyId: "p");
        emulator.InjectFaults(Enumerable.Range(0, 40).Select(_ => EmulatorFault.Status(503)).ToArray());
        var counting = new CountingHandler();
        var services = new ServiceCollection();
        if (defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        }

        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
            o.Resilience.MaxRetryAttempts = 3;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
            o.Resilience.CircuitBreakerEnabled = false;
        }).ConfigureHttpClient(b => b.AddHttpMessageHandler(() => counting));
        if (!defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        }

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("p").Set("a", "1")));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(4, ex.Attempts);
        Assert.Equal(4, emulator.GetRequests().Count);
        Assert.All(emulator.GetRequests(), r => Assert.Equal("fault:503", r.Outcome));

        // The account's own handlers, added through the SDK's builder, still run: once per SDK attempt.
        Assert.Equal(4, counting.Requests);
    }

    [Fact]
    public async Task StandardResilienceHandlerForAllClients_StillWrapsOtherClients()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        services.AddTargetProfileUpdate(o => o.ClientCode = "acme");
        services.AddHttpClient("other");
        await using var provider = services.BuildServiceProvider();

        var other = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("other");

        Assert.Contains(Chain(other), h => h.GetType().Name == "ResilienceHandler");
    }

    private static IEnumerable<HttpMessageHandler> Chain(HttpMessageHandler handler)
    {
        for (HttpMessageHandler? h = handler; h is not null; h = (h as DelegatingHandler)?.InnerHandler)
        {
            yield return h;
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
