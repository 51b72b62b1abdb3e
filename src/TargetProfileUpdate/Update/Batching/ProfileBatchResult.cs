using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>
/// How a batch ended. Every update taken from the source is accounted for, <c>Accepted + Deferred + Failed + NotSent ==
/// Submitted</c>, always, and every one that was not applied is named by its source index, in <see cref="Failures"/> or
/// <see cref="NotSentIndexes"/>.
/// </summary>
public sealed class ProfileBatchResult
{
    /// <summary>Creates a result (for example in a test of your own code).</summary>
    /// <param name="submitted">Updates taken from the source.</param>
    /// <param name="accepted">Updates accepted.</param>
    /// <param name="failures">The failed updates, by source index.</param>
    /// <param name="notSentIndexes">The source indexes of the updates taken but not sent (canceled, stopped, or refused by an
    /// open circuit breaker), or whose send was canceled before an answer, ascending.</param>
    /// <exception cref="ArgumentException">The counts do not add up, or an index is out of order.</exception>
    public ProfileBatchResult(long submitted, long accepted, IReadOnlyList<ProfileUpdateFailure> failures, IReadOnlyList<long> notSentIndexes)
        : this(submitted, accepted, deferred: 0, failures, notSentIndexes)
    {
    }

    /// <summary>Creates a result with deferred updates (for example in a test of your own code).</summary>
    /// <param name="submitted">Updates taken from the source.</param>
    /// <param name="accepted">Updates sent and accepted.</param>
    /// <param name="deferred">Updates deferred until their profile exists (neither accepted nor failed).</param>
    /// <param name="failures">The failed updates, by source index.</param>
    /// <param name="notSentIndexes">The source indexes of the updates taken but not sent, or whose send was canceled before an
    /// answer, ascending.</param>
    /// <exception cref="ArgumentException">The counts do not add up, or an index is out of order.</exception>
    public ProfileBatchResult(long submitted, long accepted, long deferred, IReadOnlyList<ProfileUpdateFailure> failures, IReadOnlyList<long> notSentIndexes)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(notSentIndexes);
        if (accepted + deferred + failures.Count + notSentIndexes.Count != submitted || accepted < 0 || deferred < 0)
        {
            throw new ArgumentException("Accepted + Deferred + Failures.Count + NotSentIndexes.Count must equal Submitted, and none may be negative.", nameof(submitted));
        }

        for (int i = 0; i < notSentIndexes.Count; i++)
        {
            if (notSentIndexes[i] < 0 || notSentIndexes[i] >= submitted || (i > 0 && notSentIndexes[i] <= notSentIndexes[i - 1]))
            {
                throw new ArgumentException("NotSentIndexes must be ascending source indexes below Submitted.", nameof(notSentIndexes));
            }
        }

        Submitted = submitted;
        Accepted = accepted;
        Deferred = deferred;
        Failed = failures.Count;
        NotSent = notSentIndexes.Count;
        Failures = failures;
        NotSentIndexes = notSentIndexes;
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
    /// before sending them (unless <see cref="ProfileBatchOptions.WaitWhileCircuitOpen"/> waited them out). Each is named in
    /// <see cref="NotSentIndexes"/>; sending them again repeats nothing.</summary>
    public long NotSent { get; }

    /// <summary>Gets the source indexes of the updates counted in <see cref="NotSent"/>, ascending: send exactly these
    /// again. Updates after the last index taken from the source were never taken, and are in neither list.</summary>
    public IReadOnlyList<long> NotSentIndexes { get; }

    /// <summary>Gets the failed updates, ordered by their index in the source.</summary>
    public IReadOnlyList<ProfileUpdateFailure> Failures { get; }
}
