using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ResticManager.Protocol;

namespace ResticManager.BuildingBlocks;

public static class SecretProtectionExtensions
{
    public static IHostApplicationBuilder AddSecretProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SecretProtector>();
        return builder;
    }
}
