/// <summary>
/// One mode's run: its figures in table order, the notes a reader needs (set-up, misses explained), and the
/// details behind the figures for the JSON (simulator counters, CPU per phase, the server's warnings).
/// </summary>
sealed record FleetModeResult(string Mode, IReadOnlyList<FleetFigure> Figures, IReadOnlyList<string> Notes, IReadOnlyDictionary<string, object?> Details)
{
    public FleetFigure? Figure(string key) => Figures.FirstOrDefault(f => f.Key == key);
}
