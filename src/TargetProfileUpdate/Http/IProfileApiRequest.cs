using System;
using System.Diagnostics;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Http;

/// <summary>
/// One endpoint's part of a call, everything else being <see cref="ProfileApiCall"/>'s: build the request of an attempt
/// and read the final answer. Implemented by small structs (no allocation per call), one per operation.
/// </summary>
/// <typeparam name="TResult">What the call returns.</typeparam>
internal interface IProfileApiRequest<TResult>
{
    /// <summary>The operation (tags, activity, messages, log event ids).</summary>
    ProfileApiEndpoint Endpoint { get; }

    /// <summary>The most of an answer's body the attempts read.</summary>
    int MaxAnswerBytes { get; }

    /// <summary>Builds the message of one attempt: a new message each time, with identical bytes.</summary>
    HttpRequestMessage CreateMessage();

    /// <summary>Whether a final status is an answer this endpoint reads (2xx, and for fetch 404); any other is a failure
    /// the envelope classifies.</summary>
    bool IsAnswer(int status);

    /// <summary>Reads an answer; throws through <see cref="ProfileApiFailures.Create"/> when it is not a success.</summary>
    /// <param name="status">The final status.</param>
    /// <param name="facts">The call's attempts and the answer's body.</param>
    /// <param name="outcome">The outcome tag of the success (<c>accepted</c>, <c>found</c>…).</param>
    TResult ReadAnswer(int status, AttemptFacts facts, out string outcome);

    /// <summary>What the failure message adds for a status (a hint the user can act on), or <see langword="null"/>.</summary>
    string? Hint(int status);

    /// <summary>What of a failing answer's body an exception may keep (its allow-listed fields), or <see langword="null"/>.</summary>
    string? KeepBody(ReadOnlySpan<byte> body, string? token);

    /// <summary>Adds the request's own tags (method, size bucket, id kind) to the call's activity.</summary>
    void Tag(Activity activity);

    /// <summary>Records the endpoint's own instruments, after the envelope recorded the common ones.</summary>
    void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds);
}
