using System.Net;
using System.Net.Sockets;

namespace ResticManager.Testing;

public static class FreePort
{
    /// <summary>A port the OS just handed out on loopback; never a fixed one.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
