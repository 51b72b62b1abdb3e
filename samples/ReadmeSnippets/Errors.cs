using TargetProfileUpdate;

namespace ReadmeSnippets;

public static class Errors
{
    public static async Task<bool> TrySendAsync(IProfileUpdateClient client, ProfileUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            ProfileUpdateResult result = await client.UpdateAsync(update, cancellationToken);
            return result.Delivery == ProfileUpdateDelivery.Sent;   // Deferred: held until the profile exists
        }
        catch (ProfileApiRateLimitedException ex)
        {
            Console.WriteLine($"Rate limited; try again after {ex.RetryAfter}");   // the client-side quota or Adobe's 429
            return false;
        }
        catch (ProfileApiAuthenticationException ex)
        {
            Console.WriteLine($"Authentication failed at step {ex.Step}");   // Ims, AdminApi or ProfileEndpoint
            throw;
        }
        catch (ProfileApiException ex) when (ex.IsTransient)
        {
            // Reason is one of a fixed set (Timeout, CircuitOpen, ConnectionFailure, HttpError, ...): safe to log and count.
            Console.WriteLine($"{ex.Reason}: HTTP {ex.StatusCode} after {ex.Attempts} attempt(s); keep it for a later run");
            return false;
        }
    }
}
