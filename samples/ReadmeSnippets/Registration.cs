using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate;

namespace ReadmeSnippets;

public static class Registration
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddTargetProfileUpdate(builder.Configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        builder.Services.AddHostedService<LoyaltyWorker>();
        return builder.Build();
    }
}

public sealed class LoyaltyWorker(IProfileUpdateClient profiles, ILogger<LoyaltyWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var update = ProfileUpdate.ForThirdPartyId("crm-1842")
            .Set("loyaltyTier", "gold")
            .Set("lifetimeValue", 1234.50m);
        ProfileUpdateResult result = await profiles.UpdateAsync(update, stoppingToken);
        logger.LogInformation("Accepted via {Method} after {Attempts} attempt(s)", result.HttpMethod, result.Attempts);
    }
}
