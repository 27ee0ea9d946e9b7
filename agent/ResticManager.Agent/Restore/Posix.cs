using System.Runtime.InteropServices;
using System.Text;

namespace ResticManager.Agent.Restore;

/// <summary>
/// The few system calls a restore needs that .NET does not offer: <c>statx</c> (device, inode and owner; its
/// layout is the same on every Linux architecture) and a bare <c>rename</c> (<c>renameat2</c>), which fails across file systems
/// where <see cref="File.Move(string, string)"/> would copy (a symbolic link then arrives as a regular file
/// holding its target's contents, and owners are lost).
/// </summary>
public static class Posix
{
    const int AtCurrentFolder = -100;
    const int AtSymlinkNoFollow = 0x100;
    const uint StatxBasicStats = 0x7ff;
    const int NoEntry = 2;
    const int NotFolder = 20;
    const int CrossDevice = 18;
    const uint RenameNoReplace = 1;

    public static uint EffectiveUser => GetEffectiveUser();

    /// <summary><c>lstat</c> (or <c>stat</c> with <paramref name="followLinks"/>); null when nothing is there.</summary>
    public static FileStatus? Status(string path, bool followLinks = false)
    {
        if (StatX(AtCurrentFolder, Terminated(path), followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var status) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is NoEntry or NotFolder ? null : throw new IOException($"cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(error)}");
        }

        var state = (status.Mode & 0xF000) switch
        {
            0x4000 => EntryState.Directory,
            0xA000 => EntryState.Symlink,
            _ => EntryState.File,
        };
        return new FileStatus(state, ((ulong)status.DeviceMajor << 32) | status.DeviceMinor, status.Inode, status.Owner, (UnixFileMode)(status.Mode & 0xFFF));
    }

    /// <summary>
    /// rename(2): atomic, replaces a file or link at <paramref name="to"/> without following it, never copies.
    /// With <paramref name="noReplace"/> (for folders: an empty folder would otherwise be replaced) it fails
    /// when anything is at <paramref name="to"/>.
    /// </summary>
    public static void Rename(string from, string to, bool noReplace = false)
    {
        if (RenameNative(AtCurrentFolder, Terminated(from), AtCurrentFolder, Terminated(to), noReplace ? RenameNoReplace : 0) == 0)
        {
            return;
        }

        var error = Marshal.GetLastPInvokeError();
        throw new IOException(error == CrossDevice
            ? $"'{to}' is on another file system than the staging folder: a restore never copies across file systems"
            : $"cannot move it to '{to}': {Marshal.GetPInvokeErrorMessage(error)}");
    }

    static byte[] Terminated(string path) => Encoding.UTF8.GetBytes(path + '\0');

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int StatX(int folder, byte[] path, int flags, uint mask, out StatXBuffer status);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    static extern int RenameNative(int fromFolder, byte[] from, int toFolder, byte[] to, uint flags);

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUser();

    /// <summary>struct statx: only the fields read here, at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    struct StatXBuffer
    {
        [FieldOffset(20)]
        public uint Owner;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
