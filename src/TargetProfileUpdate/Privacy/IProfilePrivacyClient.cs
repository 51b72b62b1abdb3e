using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Erases or exports a person's Adobe Target profile through Adobe Privacy Service (Target has no delete endpoint of its
/// own). Registered by <c>AddTargetProfileUpdate</c> for every account (keyed by the account's name); the type to depend on
/// and to fake (<c>FakeProfilePrivacyClient</c> in <c>TargetProfileUpdate.Testing</c>).
/// </summary>
/// <remarks>
/// Each id is one person (one Privacy Service user, with a key derived from the id by HMAC, never the id itself); requests
/// carry at most <see cref="ProfilePrivacyClient.MaxUsersPerRequest"/> users, so many ids become several requests. Every
/// job is followed by its id alone (<see cref="GetJob"/>), from any process.
/// </remarks>
public interface IProfilePrivacyClient
{
    /// <summary>Asks Privacy Service to erase the profiles (<c>delete</c>, product <c>Target</c>). Unless
    /// <see cref="ProfilePrivacyOptions.SuppressOnDeletion"/> is off, the ids are put on the account's suppression list first.</summary>
    /// <param name="ids">The ids, any kind (ECID, PC id, third-party id); duplicates are sent once.</param>
    /// <param name="regulation">The regulation, for example <see cref="PrivacyRegulation.Gdpr"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>One job per id.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="ids"/>, an id or <paramref name="regulation"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">No id, or the regulation is empty or not plain ASCII. Nothing is sent.</exception>
    /// <exception cref="System.InvalidOperationException">The account has no IMS org id or no IMS credential. Nothing is sent.</exception>
    /// <exception cref="PrivacyRequestException">A request failed; its <c>PartialResult</c> holds the jobs created before it.</exception>
    /// <exception cref="ProfileApiAuthenticationException">The IMS token could not be obtained, or was refused.</exception>
    Task<PrivacyRequestResult> RequestDeletionAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default);

    /// <summary>Asks Privacy Service to export the profiles' data (<c>access</c>, product <c>Target</c>).</summary>
    /// <param name="ids">The ids, any kind; duplicates are sent once.</param>
    /// <param name="regulation">The regulation, for example <see cref="PrivacyRegulation.Gdpr"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>One job per id.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="ids"/>, an id or <paramref name="regulation"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">No id, or the regulation is empty or not plain ASCII. Nothing is sent.</exception>
    /// <exception cref="System.InvalidOperationException">The account has no IMS org id or no IMS credential. Nothing is sent.</exception>
    /// <exception cref="PrivacyRequestException">A request failed; its <c>PartialResult</c> holds the jobs created before it.</exception>
    /// <exception cref="ProfileApiAuthenticationException">The IMS token could not be obtained, or was refused.</exception>
    Task<PrivacyRequestResult> RequestAccessAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default);

    /// <summary>Reads a job's status (<c>GET /data/core/privacy/jobs/{jobId}</c>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, with Target's answer.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="jobId"/> is null, empty or white space.</exception>
    /// <exception cref="ProfileApiException">The call failed (404 when Adobe does not know the job).</exception>
    Task<PrivacyJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Rebuilds a job from its id, to read its status or wait for it (on the account's clock).</summary>
    /// <param name="jobId">The job id.</param>
    /// <returns>The job; nothing is sent until it is asked.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="jobId"/> is null, empty or white space.</exception>
    PrivacyJob GetJob(string jobId);
}
