using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Net.Http;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// An immutable snapshot of one update as <see cref="FakeProfileUpdateClient"/> received it: the id, the attributes at
/// the moment of the call (a later <see cref="ProfileUpdate.Set(string, string)"/> on the caller's update does not change
/// it), and the method and request size the real <see cref="ProfileUpdateClient"/> would have used.
/// </summary>
public sealed class RecordedProfileUpdate
{
    /// <summary>Creates a snapshot of <paramref name="update"/>.</summary>
    /// <param name="update">The update; its attributes are copied.</param>
    /// <param name="method">The method the real client would use: GET or POST.</param>
    /// <param name="requestBytes">The request's size: the whole URL for GET, the form body for POST.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> or <paramref name="method"/> is <see langword="null"/>.</exception>
    public RecordedProfileUpdate(ProfileUpdate update, HttpMethod method, int requestBytes)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(method);
        Id = update.Id;
        Attributes = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(update.Attributes, StringComparer.Ordinal));
        HttpMethod = method;
        RequestBytes = requestBytes;
    }

    /// <summary>Gets the profile the update was for.</summary>
    public ProfileId Id { get; }

    /// <summary>Gets the attributes as they were when the update was passed to the fake (read-only).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Gets the method the real client would have used (<see cref="HttpMethod.Get"/> or <see cref="HttpMethod.Post"/>).</summary>
    public HttpMethod HttpMethod { get; }

    /// <summary>Gets the request's size in bytes, as <see cref="ProfileUpdateResult.RequestBytes"/> reports it.</summary>
    public int RequestBytes { get; }
}
