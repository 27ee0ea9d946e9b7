using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>Resolves a presented bearer credential to an operator, or null. Implemented by the access module.</summary>
public interface IOperatorCredentialValidator
{
    Task<OperatorIdentity?> ValidateAsync(string bearerToken, CancellationToken cancellationToken);
}
