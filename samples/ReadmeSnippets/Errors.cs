using TargetProfileUpdate;

namespace ReadmeSnippets;

public static class Errors
{
    public static async Task<bool> TrySendAsync(IProfileUpdateClient client, ProfileUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateAsync(update, cancellationToken);
            return true;
        }
        catch (ProfileApiRateLimitedException ex)
        {
            Console.WriteLine($"Rate limited ({ex.Reason}); try again after {ex.RetryAfter}");
            return false;
        }
        catch (ProfileApiAuthenticationException ex)
        {
            Console.WriteLine($"Authentication failed at step {ex.Step}");   // Ims, AdminApi or ProfileEndpoint
            throw;
        }
        catch (ProfileApiException ex) when (ex.IsTransient)
        {
            Console.WriteLine($"{ex.Reason} after {ex.Attempts} attempt(s): keep it for a later run");
            return false;
        }
    }
}
