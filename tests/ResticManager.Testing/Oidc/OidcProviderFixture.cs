using Xunit;

namespace ResticManager.Testing;

/// <summary>
/// One <see cref="OidcTestProvider"/> for a test collection, with its users: each test registers its own
/// client for the server it starts, so servers of different tests never share a client or a user.
/// </summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    OidcTestProvider? provider;

    public OidcTestProvider Provider => provider ?? throw new InvalidOperationException("The provider has not started.");

    public async Task InitializeAsync() => provider = await OidcTestProvider.StartAsync([]);

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }
}
