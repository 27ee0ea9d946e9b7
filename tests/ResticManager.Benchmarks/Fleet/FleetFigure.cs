/// <summary>
/// One figure of a mode's run: <paramref name="Key"/> names it in the JSON, <paramref name="Label"/> in the table;
/// <paramref name="Value"/> is null when it could not be measured (the phase before it missed its deadline).
/// <paramref name="Target"/> says the target in words (null: none), <paramref name="Pass"/> whether it was met.
/// </summary>
sealed record FleetFigure(string Key, string Label, double? Value, string Unit, string? Target = null, bool? Pass = null)
{
    /// <summary>A figure with a target: missing counts as a miss (a wait that ran into its deadline).</summary>
    public static FleetFigure Checked(string key, string label, double? value, string unit, string target, Func<double, bool> met) =>
        new(key, label, Finite(value), unit, target, Finite(value) is { } v && met(v));

    public static FleetFigure Of(string key, string label, double? value, string unit) =>
        new(key, label, Finite(value), unit);

    /// <summary>NaN (no samples) and infinities (nothing to divide by) are no figure at all.</summary>
    static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
