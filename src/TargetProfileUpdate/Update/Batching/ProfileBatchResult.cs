using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>
/// How a batch ended. Every update taken from the source is accounted for:
/// <c>Accepted + Deferred + Failed + NotSent == Submitted</c>, always.
/// </summary>
public sealed class ProfileBatchResult
{
    /// <summary>Creates a result (for example in a test of your own code).</summary>
    /// <param name="submitted">Updates taken from the source.</param>
    /// <param name="accepted">Updates accepted.</param>
    /// <param name="failed">Updates that failed; each is in <paramref name="failures"/>.</param>
    /// <param name="notSent">Updates taken but not sent (canceled, stopped, or refused by an open circuit breaker), or whose send was canceled before an answer.</param>
    /// <param name="failures">The failures, by source index.</param>
    /// <exception cref="ArgumentException">The counts do not add up.</exception>
    public ProfileBatchResult(long submitted, long accepted, long failed, long notSent, IReadOnlyList<ProfileUpdateFailure> failures)
        : this(submitted, accepted, deferred: 0, failed, notSent, failures)
    {
    }

    /// <summary>Creates a result with deferred updates (for example in a test of your own code).</summary>
    /// <param name="submitted">Updates taken from the source.</param>
    /// <param name="accepted">Updates sent and accepted.</param>
    /// <param name="deferred">Updates deferred until their profile exists (neither accepted nor failed).</param>
    /// <param name="failed">Updates that failed; each is in <paramref name="failures"/>.</param>
    /// <param name="notSent">Updates taken but not sent, or whose send was canceled before an answer.</param>
    /// <param name="failures">The failures, by source index.</param>
    /// <exception cref="ArgumentException">The counts do not add up.</exception>
    public ProfileBatchResult(long submitted, long accepted, long deferred, long failed, long notSent, IReadOnlyList<ProfileUpdateFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (accepted + deferred + failed + notSent != submitted || accepted < 0 || deferred < 0 || failed < 0 || notSent < 0)
        {
            throw new ArgumentException("Accepted + Deferred + Failed + NotSent must equal Submitted, and none may be negative.", nameof(submitted));
        }

        Submitted = submitted;
        Accepted = accepted;
        Deferred = deferred;
        Failed = failed;
        NotSent = notSent;
        Failures = failures;
    }

    /// <summary>Gets how many updates were taken from the source.</summary>
    public long Submitted { get; }

    /// <summary>Gets how many were accepted by Adobe Target.</summary>
    public long Accepted { get; }

    /// <summary>Gets how many were deferred until their profile exists (<see cref="UnknownProfileHandling.Defer"/>): held in
    /// the account's pending store, neither accepted nor failed.</summary>
    public long Deferred { get; }

    /// <summary>Gets how many failed; each is listed in <see cref="Failures"/>.</summary>
    public long Failed { get; }

    /// <summary>Gets how many were taken from the source but not sent, or canceled before an answer: after cancellation
    /// or <see cref="ProfileBatchOptions.StopOnFirstFailure"/>, and updates the account's open circuit breaker refused
    /// before sending them (unless <see cref="ProfileBatchOptions.WaitWhileCircuitOpen"/> waited them out). Sending
    /// them again repeats nothing.</summary>
    public long NotSent { get; }

    /// <summary>Gets the failed updates, ordered by their index in the source.</summary>
    public IReadOnlyList<ProfileUpdateFailure> Failures { get; }
}
