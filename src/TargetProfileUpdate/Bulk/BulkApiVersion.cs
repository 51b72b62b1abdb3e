namespace TargetProfileUpdate;

/// <summary>Which version of Adobe Target's Bulk Profile Update API receives the batches.</summary>
public enum BulkApiVersion
{
    /// <summary>
    /// Version 2 (<c>/m2/{clientCode}/v2/profile/batchUpdate</c>), the current version: it creates profiles that do not
    /// exist yet and reports per-batch counts. Adobe recommends it for <c>thirdPartyId</c> uploads.
    /// </summary>
    /// <remarks>
    /// Adobe warns against keying a version 2 upload by <c>pcId</c> when the Target implementation uses the
    /// Experience Cloud ID (ECID): use <see cref="V1"/> for <c>pcId</c> uploads in that case. A <c>pcId</c> upload
    /// with version 2 is allowed; it is right only for stand-alone Target implementations that do not use ECID.
    /// </remarks>
    V2 = 0,

    /// <summary>
    /// Version 1 (<c>/m2/{clientCode}/profile/batchUpdate</c>), the legacy version: it updates existing profiles only
    /// and never creates one. Adobe recommends it for <c>pcId</c> uploads when the implementation uses ECID.
    /// </summary>
    V1 = 1,
}
