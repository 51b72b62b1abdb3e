using System.Collections.Generic;

namespace TargetProfileUpdate.Testing;

/// <summary>One request a <see cref="FakeProfilePrivacyClient"/> received.</summary>
/// <param name="Action">Deletion or access.</param>
/// <param name="Ids">The distinct ids, in the order given.</param>
/// <param name="Regulation">The regulation.</param>
public sealed record FakePrivacyRequest(PrivacyAction Action, IReadOnlyList<ProfileId> Ids, string Regulation);
