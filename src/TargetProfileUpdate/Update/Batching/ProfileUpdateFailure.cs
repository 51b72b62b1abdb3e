using System;

namespace TargetProfileUpdate;

/// <summary>One update of a batch that was not accepted.</summary>
/// <param name="Index">Its zero-based position in the source.</param>
/// <param name="ProfileId">The profile it was for; <see langword="null"/> when the source yielded <see langword="null"/>.</param>
/// <param name="Exception">Why it failed (usually a <see cref="ProfileApiException"/> or an <see cref="ArgumentException"/>).</param>
public sealed record ProfileUpdateFailure(long Index, ProfileId? ProfileId, Exception Exception);
