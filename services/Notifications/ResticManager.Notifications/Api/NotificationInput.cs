using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>Input rules shared by channels and rules.</summary>
static class NotificationInput
{
    public const int MaxNameLength = 100;

    /// <summary>A name shown in lists and messages: 1 to 100 characters, not blank, no control characters.</summary>
    public static FieldErrors RequireName(this FieldErrors errors, string? name) =>
        errors.Require(
            !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= MaxNameLength && !name.Any(char.IsControl),
            "name", $"required: 1 to {MaxNameLength} characters, no control characters");
}
