using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>The jobs a privacy request created: one per person and action, in the order of the ids.</summary>
public sealed class PrivacyRequestResult
{
    /// <summary>Creates a result (for example in a test of your own code).</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="requests">How many HTTP requests created them (at most 1,000 users each).</param>
    /// <exception cref="ArgumentNullException"><paramref name="jobs"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requests"/> is negative.</exception>
    public PrivacyRequestResult(IReadOnlyList<PrivacyJob> jobs, int requests)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        var copy = new PrivacyJob[jobs.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = jobs[i] ?? throw new ArgumentNullException(nameof(jobs), "The job list contains null.");
        }

        Jobs = Array.AsReadOnly(copy);
        Requests = requests;
    }

    /// <summary>Gets the jobs, one per person and action.</summary>
    public IReadOnlyList<PrivacyJob> Jobs { get; }

    /// <summary>Gets how many HTTP requests were sent.</summary>
    public int Requests { get; }
}
