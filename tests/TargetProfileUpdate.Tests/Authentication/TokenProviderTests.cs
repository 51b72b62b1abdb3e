using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Authentication;

/// <summary>The static token re-read on configuration reload, and custom providers plugged in through the builder.</summary>
public sealed class TokenProviderTests
{
    [Fact]
    public async Task StaticToken_ChangedByConfigurationReload_IsUsedByTheNextRequest()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TargetProfileUpdate:ClientCode"] = "demo",
            ["TargetProfileUpdate:AuthorizationToken"] = "token-one",
        }).Build();
        var handler = new RecordingHandler();
        var services = TestClients.Services();
        services.AddTestAccount(handler, configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        await using var provider = TestClients.Build(services);
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));
        configuration["TargetProfileUpdate:AuthorizationToken"] = "token-two";
        configuration.Reload();
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "2"));

        Assert.Equal(["Bearer token-one", "Bearer token-two"], handler.Requests.Select(r => r.Authorization));
        Assert.Same(client, provider.GetRequiredService<IProfileUpdateClient>());
    }

    [Fact]
    public async Task StaticToken_OfANamedAccount_ChangedByReload_IsUsedByTheNextRequest_AndNotByTheOtherAccount()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alpha:ClientCode"] = "alpha",
            ["Alpha:AuthorizationToken"] = "alpha-one",
            ["Beta:ClientCode"] = "beta",
            ["Beta:AuthorizationToken"] = "beta-one",
        }).Build();
        var handler = new RecordingHandler();
        var services = TestClients.Services();
        services.AddTestAccount(handler, configuration.GetSection("Alpha"), "alpha");
        services.AddTestAccount(handler, configuration.GetSection("Beta"), "beta");
        await using var provider = TestClients.Build(services);
        var alpha = provider.GetRequiredKeyedService<IProfileUpdateClient>("alpha");
        var beta = provider.GetRequiredKeyedService<IProfileUpdateClient>("beta");

        configuration["Alpha:AuthorizationToken"] = "alpha-two";
        configuration.Reload();
        await alpha.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));
        await beta.UpdateAsync(ProfileUpdate.ForThirdPartyId("b").Set("x", "1"));

        Assert.Equal(
            [("https://alpha.tt.omtrdc.net", "Bearer alpha-two"), ("https://beta.tt.omtrdc.net", "Bearer beta-one")],
            handler.Requests.Select(r => (new Uri(r.Url).GetLeftPart(UriPartial.Authority), r.Authorization)));
    }

    [Fact]
    public async Task AddTokenProviderOfT_IsCreatedWithItsServices_AndAskedToForceRefreshOnceAfter403()
    {
        var handler = new RecordingHandler()
            .Then(RecordingHandler.Text(HttpStatusCode.Forbidden, "no"))
            .Then(RecordingHandler.Ok());
        var (client, _, provider) = TestClients.Create(
            handler: handler,
            services: s => s.AddSingleton(new TokenSource()),
            account: a => a.AddTokenProvider<CountingProvider>());
        await using var _ = provider;

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1"));

        var source = provider.GetRequiredService<TokenSource>();
        Assert.Equal([false, true], source.Calls);
        Assert.Equal(["Bearer custom-1", "Bearer custom-2"], handler.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task AddTokenProviderFactory_OnANamedAccount_IsThatAccountsOnly_AndItsFailureSurfacesUnchanged()
    {
        var handler = new RecordingHandler();
        var services = TestClients.Services();
        int created = 0;
        services.AddTestAccount(handler, o => o.ClientCode = "alpha", "alpha")
            .AddTokenProvider(_ =>
            {
                created++;
                return new DelegateProvider(force => throw new ProfileApiAuthenticationException(AuthenticationStep.Ims, "vault unreachable", null));
            });
        services.AddTestAccount(handler, o => { o.ClientCode = "beta"; o.AuthorizationToken = "beta-static"; }, "beta");
        await using var provider = TestClients.Build(services);

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => provider.GetRequiredKeyedService<IProfileUpdateClient>("alpha").UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "1")));
        await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => provider.GetRequiredKeyedService<IProfileFetchClient>("alpha").GetProfileAsync(ProfileId.FromThirdPartyId("a")));
        await provider.GetRequiredKeyedService<IProfileUpdateClient>("beta").UpdateAsync(ProfileUpdate.ForThirdPartyId("b").Set("x", "1"));

        Assert.Equal(AuthenticationStep.Ims, ex.Step);
        Assert.Equal(1, created);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("Bearer beta-static", sent.Authorization);
    }

    [Fact]
    public void ProfileApiToken_ToString_HidesTheValue()
    {
        var token = new ProfileApiToken("very-SECRET-value", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal("ProfileApiToken(***, expires 2025-01-02T03:04:05.0000000+00:00)", token.ToString());
        Assert.Equal("ProfileApiToken(none)", ProfileApiToken.None.ToString());
        Assert.DoesNotContain("SECRET", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{token}"), StringComparison.Ordinal);
    }

    [Fact]
    public void AdobeImsOptions_ToString_HidesClientIdAndSecret_AndOptionsToStringToo()
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "demo", AuthorizationToken = "static-SECRET" };
        options.AdobeIms.ClientId = "id-SECRET";
        options.AdobeIms.ClientSecret = "p4ss-SECRET";
        options.AdobeIms.Tenant = "acme";

        string ims = options.AdobeIms.ToString();
        string all = options.ToString();

        Assert.Contains("Tenant = acme", ims, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ims, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", all, StringComparison.Ordinal);
    }

    public sealed class TokenSource
    {
        public List<bool> Calls { get; } = [];
    }

    private sealed class CountingProvider(TokenSource source) : IProfileApiTokenProvider
    {
        public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default)
        {
            lock (source.Calls)
            {
                source.Calls.Add(forceRefresh);
                return new(new ProfileApiToken("custom-" + source.Calls.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    private sealed class DelegateProvider(Func<bool, ProfileApiToken> get) : IProfileApiTokenProvider
    {
        public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) => new(get(forceRefresh));
    }
}
