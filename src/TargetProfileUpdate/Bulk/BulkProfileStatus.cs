using System;

namespace TargetProfileUpdate;

/// <summary>
/// One profile of a legacy batch status answer: older servers list each profile of the batch
/// (<c>&lt;profile&gt;&lt;id/&gt;&lt;status&gt;success|error|pending&lt;/status&gt;&lt;/profile&gt;</c>) instead of counts.
/// </summary>
/// <remarks>The id is personal data: <see cref="ToString"/> does not reveal it.</remarks>
public sealed class BulkProfileStatus
{
    /// <summary>Creates an entry (for example in a test of your own code).</summary>
    /// <param name="id">The profile id as the server listed it (a <c>pcId</c> or <c>thirdPartyId</c> value).</param>
    /// <param name="state">The profile's state.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public BulkProfileStatus(string id, BulkProfileState state)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        State = state;
    }

    /// <summary>Gets the profile id as the server listed it (not decoded further).</summary>
    public string Id { get; }

    /// <summary>Gets the profile's state.</summary>
    public BulkProfileState State { get; }

    /// <summary>Returns the state only; the id is personal data and is never included.</summary>
    /// <returns>For example <c>***:Success</c>.</returns>
    public override string ToString() => "***:" + State switch
    {
        BulkProfileState.Pending => nameof(BulkProfileState.Pending),
        BulkProfileState.Success => nameof(BulkProfileState.Success),
        BulkProfileState.Error => nameof(BulkProfileState.Error),
        _ => nameof(BulkProfileState.Unknown),
    };
}
