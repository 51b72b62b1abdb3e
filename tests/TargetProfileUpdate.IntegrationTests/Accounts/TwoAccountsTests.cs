using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Accounts;

/// <summary>Two named accounts against two emulators (two loopback servers), each requiring its own token.</summary>
public sealed class TwoAccountsTests
{
    private const string AlphaToken = "alpha-TOKEN-0001";
    private const string BetaToken = "beta-TOKEN-0002";

    [Fact]
    public async Task EachAccount_ReachesOnlyItsHost_WithOnlyItsToken()
    {
        await using var alpha = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = AlphaToken });
        await using var beta = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = BetaToken });
        alpha.SeedProfile(thirdPartyId: "a-1");
        beta.SeedProfile(thirdPartyId: "b-1");
        var wire = new WireLog();
        await using var services = Build(alpha, beta, wire);
        var consumer = services.GetRequiredService<TwoAccountConsumer>();
        var betaFetch = services.GetRequiredKeyedService<IProfileFetchClient>("beta");

        for (int i = 0; i < 3; i++)
        {
            await consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", i));
            await consumer.Beta.UpdateAsync(ProfileUpdate.ForThirdPartyId("b-1").Set("n", i));
        }

        Assert.NotNull(await betaFetch.GetProfileAsync(ProfileId.FromThirdPartyId("b-1")));
        Assert.NotNull(await services.GetRequiredKeyedService<IProfileFetchClient>("alpha").GetProfileAsync(ProfileId.FromThirdPartyId("a-1")));

        // What each server received: every request authorized (a wrong token is 403 "forbidden"), only its own profiles.
        Assert.Equal(4, alpha.GetRequests().Count);
        Assert.Equal(4, beta.GetRequests().Count);
        Assert.All(alpha.GetRequests(), r => Assert.Equal(200, r.StatusCode));
        Assert.All(beta.GetRequests(), r => Assert.Equal(200, r.StatusCode));
        Assert.DoesNotContain(alpha.GetRequests(), r => r.RawQuery.Contains("b-1", StringComparison.Ordinal) || r.Path.Contains("b-1", StringComparison.Ordinal));
        Assert.DoesNotContain(beta.GetRequests(), r => r.RawQuery.Contains("a-1", StringComparison.Ordinal) || r.Path.Contains("a-1", StringComparison.Ordinal));
        Assert.All(alpha.GetRequests().Concat(beta.GetRequests()), r => Assert.DoesNotContain(r.Headers.Values, v => v.Contains(AlphaToken, StringComparison.Ordinal) || v.Contains(BetaToken, StringComparison.Ordinal)));
        Assert.Equal("2", alpha.FindByThirdPartyId("a-1")!.Attributes["n"].Value);
        Assert.Equal("2", beta.FindByThirdPartyId("b-1")!.Attributes["n"].Value);

        // What left the client, per origin, with the raw header: no alpha token at beta, no beta token at alpha.
        Assert.Equal(8, wire.Sent.Count);
        Assert.All(wire.Sent.Where(s => s.Authority == alpha.BaseAddress.Authority), s => Assert.Equal("Bearer " + AlphaToken, s.Authorization));
        Assert.All(wire.Sent.Where(s => s.Authority == beta.BaseAddress.Authority), s => Assert.Equal("Bearer " + BetaToken, s.Authorization));
        Assert.Equal(4, wire.Sent.Count(s => s.Authority == alpha.BaseAddress.Authority));
        Assert.Equal(4, wire.Sent.Count(s => s.Authority == beta.BaseAddress.Authority));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task EachAccount_HasItsOwnQuota()
    {
        await using var alpha = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = AlphaToken });
        await using var beta = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = BetaToken });
        await using var services = Build(alpha, beta, new WireLog(), o => o.Quota.PermitLimit = 2);
        var consumer = services.GetRequiredService<TwoAccountConsumer>();

        await consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", 1));
        await consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", 2));
        await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", 3)));
        await consumer.Beta.UpdateAsync(ProfileUpdate.ForThirdPartyId("b-1").Set("n", 1));
        await consumer.Beta.UpdateAsync(ProfileUpdate.ForThirdPartyId("b-1").Set("n", 2));

        Assert.Equal(2, alpha.GetRequests().Count);
        Assert.Equal(2, beta.GetRequests().Count);
    }

    [Fact]
    public async Task OpeningAlphasCircuitBreaker_LeavesBetaSending()
    {
        await using var alpha = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = AlphaToken });
        await using var beta = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = BetaToken });
        await using var services = Build(alpha, beta, new WireLog(), o =>
        {
            o.Resilience.MaxRetryAttempts = 0;
            o.Resilience.CircuitBreakerMinimumThroughput = 2;
            o.Resilience.CircuitBreakerFailureRatio = 0.5;
            o.Resilience.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(5);
        });
        var consumer = services.GetRequiredService<TwoAccountConsumer>();
        alpha.InjectFaults(Enumerable.Range(0, 10).Select(_ => EmulatorFault.Status(500)).ToArray());

        for (int i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<ProfileApiException>(() => consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", i)));
        }

        int reachedAlpha = alpha.GetRequests().Count;
        await Assert.ThrowsAsync<ProfileApiException>(() => consumer.Alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a-1").Set("n", 9)));
        Assert.True(reachedAlpha < 4, "alpha's breaker should have opened within 4 failing calls");
        Assert.Equal(reachedAlpha, alpha.GetRequests().Count);

        for (int i = 0; i < 3; i++)
        {
            await consumer.Beta.UpdateAsync(ProfileUpdate.ForThirdPartyId("b-1").Set("n", i));
        }

        Assert.Equal(3, beta.GetRequests().Count);
        Assert.All(beta.GetRequests(), r => Assert.Equal(200, r.StatusCode));
    }

    private static ServiceProvider Build(TargetEmulator alpha, TargetEmulator beta, WireLog wire, Action<TargetProfileUpdateOptions>? both = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate("alpha", o =>
        {
            o.ClientCode = alpha.ClientCode;
            o.BaseAddress = alpha.BaseAddress;
            o.AuthorizationToken = AlphaToken;
            both?.Invoke(o);
        }).ConfigureHttpClient(h => h.AddHttpMessageHandler(() => new WireLogHandler(wire)));
        services.AddTargetProfileUpdate("beta", o =>
        {
            o.ClientCode = beta.ClientCode;
            o.BaseAddress = beta.BaseAddress;
            o.AuthorizationToken = BetaToken;
            both?.Invoke(o);
        }).ConfigureHttpClient(h => h.AddHttpMessageHandler(() => new WireLogHandler(wire)));
        services.AddSingleton<TwoAccountConsumer>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    internal sealed class WireLog
    {
        public ConcurrentQueue<(string Authority, string? Authorization)> Sent { get; } = new();
    }

    private sealed class WireLogHandler(WireLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log.Sent.Enqueue((request.RequestUri!.Authority, request.Headers.TryGetValues("Authorization", out var v) ? string.Join(",", v) : null));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A user's class taking both accounts' clients by key.</summary>
public sealed class TwoAccountConsumer([FromKeyedServices("alpha")] IProfileUpdateClient alpha, [FromKeyedServices("beta")] IProfileUpdateClient beta)
{
    public IProfileUpdateClient Alpha { get; } = alpha;

    public IProfileUpdateClient Beta { get; } = beta;
}
