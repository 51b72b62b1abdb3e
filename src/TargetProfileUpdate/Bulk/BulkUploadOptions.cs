using System;
using System.Globalization;

namespace TargetProfileUpdate;

/// <summary>How <see cref="IBulkProfileUpdateClient.UploadAsync"/> cuts the source into batches.</summary>
/// <remarks>
/// Defaults: <see cref="ApiVersion"/> <see cref="BulkApiVersion.V2"/>, <see cref="MaxRowsPerBatch"/> 500,000,
/// <see cref="MaxBytesPerBatch"/> 50,000,000, no progress. A batch is cut when the next row would exceed either limit,
/// whichever comes first; no batch ever exceeds either.
/// </remarks>
public sealed class BulkUploadOptions
{
    /// <summary>The most rows Adobe accepts in one batch: 500,000.</summary>
    public const int MaxRowsLimit = 500_000;

    /// <summary>The largest body this SDK sends in one batch: 50,000,000 bytes (Adobe: "less than 50 MB").</summary>
    public const int MaxBytesLimit = 50_000_000;

    /// <summary>The smallest <see cref="MaxBytesPerBatch"/> accepted: 64 bytes.</summary>
    public const int MinBytesLimit = 64;

    /// <summary>Gets or sets the API version. Default: <see cref="BulkApiVersion.V2"/>, which creates missing profiles.</summary>
    /// <remarks>Adobe warns against <c>pcId</c> uploads with version 2 when the implementation uses the Experience
    /// Cloud ID (ECID); use <see cref="BulkApiVersion.V1"/> then. See <see cref="BulkApiVersion.V2"/>.</remarks>
    public BulkApiVersion ApiVersion { get; set; } = BulkApiVersion.V2;

    /// <summary>Gets or sets the most rows per batch (1 to 500,000). Default: 500,000.</summary>
    public int MaxRowsPerBatch { get; set; } = MaxRowsLimit;

    /// <summary>Gets or sets the most body bytes per batch, <c>batch=</c>, header row and line breaks included
    /// (64 to 50,000,000). Default: 50,000,000. A single row that does not fit in an otherwise empty batch is rejected.</summary>
    public int MaxBytesPerBatch { get; set; } = MaxBytesLimit;

    /// <summary>Gets or sets where progress is reported (after each accepted batch and once at the end), if anywhere.</summary>
    public IProgress<BulkUploadProgress>? Progress { get; set; }

    /// <summary>Throws when an option is out of range, naming the option and its limits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        if (ApiVersion is not (BulkApiVersion.V1 or BulkApiVersion.V2))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ApiVersion),
                string.Create(CultureInfo.InvariantCulture, $"BulkUploadOptions.ApiVersion must be V1 or V2; {(int)ApiVersion} is not defined."));
        }

        if (MaxRowsPerBatch is < 1 or > MaxRowsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxRowsPerBatch),
                string.Create(CultureInfo.InvariantCulture, $"BulkUploadOptions.MaxRowsPerBatch must be between 1 and {MaxRowsLimit:N0} (Adobe's limit per batch); it is {MaxRowsPerBatch:N0}."));
        }

        if (MaxBytesPerBatch is < MinBytesLimit or > MaxBytesLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxBytesPerBatch),
                string.Create(CultureInfo.InvariantCulture, $"BulkUploadOptions.MaxBytesPerBatch must be between {MinBytesLimit:N0} and {MaxBytesLimit:N0} bytes (Adobe: less than 50 MB per batch); it is {MaxBytesPerBatch:N0}."));
        }
    }
}
