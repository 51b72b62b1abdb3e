using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>The Privacy Service jobs of the emulated organization, kept for 30 days after completion as Adobe keeps them.</summary>
internal sealed class PrivacyJobStore(TargetEmulatorOptions options)
{
    /// <summary>How long a job stays readable after it completed (Adobe: 30 days).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private readonly ConcurrentDictionary<string, EmulatedPrivacyJob> _jobs = new(StringComparer.Ordinal);

    public TimeSpan ProcessingDelay => options.PrivacyProcessingDelay;

    public void Add(EmulatedPrivacyJob job) => _jobs[job.JobId] = job;

    public EmulatedPrivacyJob? Find(string jobId, DateTimeOffset now) =>
        _jobs.TryGetValue(jobId, out var job) && now < job.CompleteAt + Retention ? job : null;

    public IReadOnlyList<EmulatedPrivacyJob> Snapshot() => _jobs.Values.OrderBy(j => j.CreatedAt).ThenBy(j => j.JobId, StringComparer.Ordinal).ToList();

    public void Reset() => _jobs.Clear();
}

/// <summary>What Target answers for one privacy job (the emulator's product response).</summary>
internal enum PrivacyOutcome
{
    /// <summary>Target found the profile and deleted it, or returned its data.</summary>
    Complete,

    /// <summary>Target has no profile for any of the ids: "user context not found".</summary>
    UserContextNotFound,

    /// <summary>The organization of the request is not the emulated one: "company context not applicable".</summary>
    CompanyContextNotApplicable,

    /// <summary>The job failed (an injected fault).</summary>
    Error,
}

/// <summary>One user id of a privacy job, as sent.</summary>
internal sealed record PrivacyUserId(string Namespace, string Value, string Type);

/// <summary>One privacy job: one user and one action.</summary>
internal sealed class EmulatedPrivacyJob
{
    public required string JobId { get; init; }

    public required string RequestId { get; init; }

    public required string UserKey { get; init; }

    public required string Action { get; init; }

    public required string Regulation { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset CompleteAt { get; init; }

    public required IReadOnlyList<PrivacyUserId> UserIds { get; init; }

    /// <summary>Whether <c>include</c> named Target (otherwise no Target product response).</summary>
    public required bool IncludesTarget { get; init; }

    public required PrivacyOutcome Outcome { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>For a completed access job: the profiles found, with their attributes.</summary>
    public JsonArray? AccessResults { get; init; }

    public bool IsComplete(DateTimeOffset now) => now >= CompleteAt;
}
