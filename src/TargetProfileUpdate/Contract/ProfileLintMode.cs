namespace TargetProfileUpdate;

/// <summary>What the SDK does when an update breaks one of Target's attribute rules (docs/profile-contract.md lists them).</summary>
public enum ProfileLintMode
{
    /// <summary>The default: the update is sent, and each problem is logged once per attribute name (never a value or an id).</summary>
    Warn = 0,

    /// <summary>An update with any problem (warnings included) is refused with an <see cref="System.ArgumentException"/> before anything is sent;
    /// in a bulk upload the row is rejected (<see cref="BulkRowRejection"/>) instead.</summary>
    Strict = 1,

    /// <summary>No checks.</summary>
    Off = 2,
}
