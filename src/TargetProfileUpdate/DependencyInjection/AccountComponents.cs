using System;
using System.Threading.RateLimiting;

namespace TargetProfileUpdate.DependencyInjection;

/// <summary>What <see cref="TargetProfileUpdateBuilder"/> plugs into one account (named options, keyed by account name).</summary>
internal sealed class AccountComponents
{
    public Func<IServiceProvider, IProfileApiTokenProvider>? TokenProvider { get; set; }

    public Func<IServiceProvider, RateLimiter>? Quota { get; set; }

    public Func<IServiceProvider, RateLimiter>? BulkLimiter { get; set; }

    public Func<IServiceProvider, ISuppressionList>? SuppressionList { get; set; }
}
