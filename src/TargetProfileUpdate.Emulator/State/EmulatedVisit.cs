using System;

namespace TargetProfileUpdate.Emulator;

/// <summary>What a visit (a visitor's Target call, <see cref="TargetEmulator.Visit"/> or <c>POST /_emulator/visits</c>) did.</summary>
/// <param name="PcId">The profile's PC id (<c>tntId</c>), generated for a new profile.</param>
/// <param name="ThirdPartyId">The profile's third-party id, if any.</param>
/// <param name="MarketingCloudVisitorId">The profile's ECID, if any.</param>
/// <param name="CreatedProfile"><see langword="true"/> when the visit created the profile (it had none, or it had expired or been erased).</param>
/// <param name="VisibleAt">When the profile is available to the profile APIs (update, fetch, bulk v1): creation plus
/// <see cref="TargetEmulatorOptions.ProfileCreationDelay"/> for a new profile.</param>
public sealed record EmulatedVisit(string PcId, string? ThirdPartyId, string? MarketingCloudVisitorId, bool CreatedProfile, DateTimeOffset VisibleAt);
