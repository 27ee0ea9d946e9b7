using System.Net.Sockets;

namespace ResticManager.Testing;

/// <summary>
/// A real restic REST server: Debian's <c>rclone serve restic</c> over one folder, append-only or not.
/// Two of them over the same folder are what an operator runs for an append-only host: the host's own
/// URL refuses deletions, a second URL (its admin credentials) allows them.
/// </summary>
public sealed class RcloneRestServer : IAsyncDisposable
{
    readonly ChildProcess process;

    RcloneRestServer(ChildProcess process, int port)
    {
        this.process = process;
        Url = $"rest:http://127.0.0.1:{port}/";
    }

    /// <summary>The repository URL restic takes (<c>rest:http://…/</c>): the served folder is the repository.</summary>
    public string Url { get; }

    public static async Task<RcloneRestServer> StartAsync(string folder, bool appendOnly)
    {
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        string[] arguments = ["serve", "restic", "--addr", $"127.0.0.1:{port}", .. appendOnly ? new[] { "--append-only" } : [], folder];
        var process = ChildProcess.Start(appendOnly ? "rclone-append-only" : "rclone", "rclone", arguments);
        try
        {
            await Eventually.HoldsAsync(() => Accepts(port) || process.HasExited, TimeSpan.FromSeconds(30), $"rclone serves restic on port {port}");
            return process.HasExited ? throw new InvalidOperationException($"rclone exited: {process.Output}") : new RcloneRestServer(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
