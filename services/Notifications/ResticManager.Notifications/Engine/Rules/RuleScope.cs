namespace ResticManager.Notifications;

/// <summary>A rule's scope: <c>*</c> (every host) or <c>label:k=v</c> (hosts carrying that label).</summary>
public static class RuleScope
{
    public const string All = "*";
    public const string LabelPrefix = "label:";

    public static bool Covers(string scope, IReadOnlyCollection<string> hostLabels) =>
        scope == All || (scope.StartsWith(LabelPrefix, StringComparison.Ordinal) && hostLabels.Contains(scope[LabelPrefix.Length..], StringComparer.Ordinal));
}
