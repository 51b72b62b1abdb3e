using System;

namespace TargetProfileUpdate.Emulator;

/// <summary>The processing state of a bulk batch, as <c>batchStatus</c> reports it.</summary>
public enum EmulatedBatchStatus
{
    /// <summary>Still processing (<c>incomplete</c>), for <see cref="TargetEmulatorOptions.BatchProcessingDelay"/> after submission.</summary>
    Incomplete,

    /// <summary>Done (<c>complete</c>): its rows are applied.</summary>
    Complete,

    /// <summary>Never completing (<c>stuck</c>), injected with <see cref="EmulatorFault.StuckBatch"/>; none of its rows is applied.</summary>
    Stuck,
}

/// <summary>A snapshot of one bulk batch the emulator accepted.</summary>
/// <param name="BatchId">The batch id (<c>{clientCode}-{unix milliseconds}-{sequence}</c>).</param>
/// <param name="ApiVersion">1 for <c>/profile/batchUpdate</c> (update only), 2 for <c>/v2/profile/batchUpdate</c> (creates missing profiles).</param>
/// <param name="IdColumn">The header's first column: <c>pcId</c> or <c>thirdPartyId</c>.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
/// <param name="Status">Its state now.</param>
/// <param name="BatchSize">Its data rows.</param>
/// <param name="Bytes">Its CSV bytes (the body after <c>batch=</c>).</param>
/// <param name="SuccessfulUpdates">Rows applied to a profile (counted at submission, reported once complete).</param>
/// <param name="ProfilesNotFound">Rows of a v1 batch naming an unknown profile.</param>
/// <param name="FailedUpdates">Rows that could not be applied: an empty id, more fields than the header, or a <c>thirdPartyId</c> with <c>+</c> or <c>/</c>.</param>
/// <param name="StatusUrl">The <c>batchStatus</c> URL the answer named.</param>
public sealed record EmulatedBatch(
    string BatchId,
    int ApiVersion,
    string IdColumn,
    DateTimeOffset SubmittedAt,
    EmulatedBatchStatus Status,
    long BatchSize,
    long Bytes,
    long SuccessfulUpdates,
    long ProfilesNotFound,
    long FailedUpdates,
    Uri StatusUrl);
