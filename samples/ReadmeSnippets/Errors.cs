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
        catch (ProfileUpdateRateLimitedException ex)
        {
            Console.WriteLine($"Rate limited; try again after {ex.RetryAfter}");   // the client-side quota or Adobe's 429
            return false;
        }
        catch (ProfileApiException ex) when (ex.InnerException is ProfileApiAuthenticationException auth)
        {
            Console.WriteLine($"Authentication failed at step {auth.Step}");   // Ims, AdminApi or ProfileEndpoint
            throw;
        }
        catch (ProfileApiException ex) when (ex.IsTransient)
        {
            Console.WriteLine($"HTTP {ex.StatusCode} after {ex.Attempts} attempt(s): keep it for a later run");
            return false;
        }
    }
}
