namespace TargetProfileUpdate;

/// <summary>What one pass of <see cref="ProfileDeliveryWorker.RunOnceAsync"/> did. Counts only; publicly constructible.</summary>
public sealed class ProfileDeliveryRunResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="profilesChecked">Profile ids whose pending updates were due and claimed.</param>
    /// <param name="delivered">Deferred updates sent (their profile exists now).</param>
    /// <param name="gaveUp">Deferred updates given up.</param>
    /// <param name="verified">Sampled accepted updates read back.</param>
    public ProfileDeliveryRunResult(int profilesChecked, int delivered, int gaveUp, int verified)
    {
        ProfilesChecked = profilesChecked;
        Delivered = delivered;
        GaveUp = gaveUp;
        Verified = verified;
    }

    /// <summary>Gets how many profile ids were due and claimed.</summary>
    public int ProfilesChecked { get; }

    /// <summary>Gets how many deferred updates were sent (their profile exists now).</summary>
    public int Delivered { get; }

    /// <summary>Gets how many deferred updates were given up (handed to <see cref="ProfileDeliveryOptions.OnGiveUp"/>).</summary>
    public int GaveUp { get; }

    /// <summary>Gets how many sampled accepted updates were read back.</summary>
    public int Verified { get; }
}
