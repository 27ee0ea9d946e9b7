namespace ResticManager.Broker;

/// <summary>
/// One read-only user of the fleet stream (<c>Mqtt:Readers:N</c>): <see cref="Password"/> in clear or
/// <see cref="PasswordHash"/> in mosquitto's <c>$7$</c> format (<c>mosquitto_passwd</c>), one of the two.
/// </summary>
public sealed class ReaderUser
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? PasswordHash { get; set; }
}
