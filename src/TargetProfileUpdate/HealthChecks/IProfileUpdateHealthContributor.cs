using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TargetProfileUpdate;

/// <summary>
/// Adds a plug-in's view to an account's health check (<c>AddHealthChecks().AddTargetProfileUpdate(accountName)</c>): register
/// one as a keyed singleton under the account's name. <c>TargetProfileUpdate.Redis</c> uses it to report limits running
/// in fail-open. The worst status wins; data is merged. Data must hold counts and states, never ids or values.
/// </summary>
public interface IProfileUpdateHealthContributor
{
    /// <summary>Reports the plug-in's health.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The plug-in's status, description and data.</returns>
    Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken = default);
}
