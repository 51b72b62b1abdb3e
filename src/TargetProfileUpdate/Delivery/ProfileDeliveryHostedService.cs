using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace TargetProfileUpdate.Delivery;

/// <summary>Runs one account's <see cref="ProfileDeliveryWorker"/> every <see cref="ProfileDeliveryWorker.PollInterval"/> while the host runs.</summary>
internal sealed class ProfileDeliveryHostedService(ProfileDeliveryWorker worker, DeliveryAccount account) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await worker.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store outage must not stop the loop: the next pass tries again.
                DeliveryLog.RecheckFailed(account.Logger, account.AccountTag, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(worker.PollInterval, account.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
