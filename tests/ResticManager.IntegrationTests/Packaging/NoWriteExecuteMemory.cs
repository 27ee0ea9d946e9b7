namespace ResticManager.IntegrationTests.Packaging;

/// <summary>
/// Runs a program with the kernel refusing it any memory mapping that is (or becomes) writable and executable:
/// prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN), what systemd's MemoryDenyWriteExecute=yes uses where the kernel
/// has it, set by python (no compiler needed) right before it execs the program.
/// </summary>
static class NoWriteExecuteMemory
{
    /// <summary>The exit code when the kernel does not know PR_SET_MDWE.</summary>
    public const int Unsupported = 77;

    const string Launcher = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
        if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
            sys.exit(77)
        os.execvp(sys.argv[1], sys.argv[1:])
        """;

    public static Task<Tool> RunAsync(string program, params string[] arguments) =>
        Tool.RunAsync("python3", ["-c", Launcher, program, .. arguments]);
}
