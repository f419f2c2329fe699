using Microsoft.Extensions.Options;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth.OAuth;

/// <summary>
/// Refuses to start on any OAuth misconfiguration (fail closed: a half-configured resource server accepts nothing).
/// Every failure names the key, never its value.
/// </summary>
public sealed class OAuthOptionsValidator : IValidateOptions<OAuthOptions>
{
    /// <summary>Asymmetric JWS algorithms only: a shared-secret (HS*) or unsigned token can never be accepted.</summary>
    internal static readonly IReadOnlySet<string> AllowedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    public ValidateOptionsResult Validate(string? name, OAuthOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        const string section = OAuthOptions.SectionName;
        var failures = new List<string>();
        if (!IsResourceUrl(options.Resource))
        {
            failures.Add($"{section}:Resource must be the absolute URL of the MCP endpoint (https, path /mcp, no query; http only on a loopback host).");
        }

        if (options.EntraTenantIds.Count + options.Issuers.Count == 0)
        {
            failures.Add($"{section}: name at least one issuer in EntraTenantIds or Issuers.");
        }

        for (var i = 0; i < options.EntraTenantIds.Count; i++)
        {
            if (!Guid.TryParse(options.EntraTenantIds[i], out _))
            {
                failures.Add($"{section}:EntraTenantIds:{i} must be a tenant id (GUID).");
            }
        }

        if (options.EntraTenantIds.Count > 0 && !IsHttpsUrl(options.EntraInstance))
        {
            failures.Add($"{section}:EntraInstance must be an absolute https URL.");
        }

        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            if (!IsHttpsUrl(issuer.Issuer))
            {
                failures.Add($"{section}:Issuers:{i}:Issuer must be an absolute https URL.");
            }

            if (issuer.MetadataAddress.Length > 0 && !IsHttpsUrl(issuer.MetadataAddress))
            {
                failures.Add($"{section}:Issuers:{i}:MetadataAddress must be an absolute https URL.");
            }
        }

        var issuers = options.EffectiveIssuers.Select(i => i.Issuer).ToList();
        if (issuers.Count != issuers.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add($"{section}: an issuer is configured more than once (EntraTenantIds, Issuers).");
        }

        for (var i = 0; i < options.Audiences.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Audiences[i]))
            {
                failures.Add($"{section}:Audiences:{i} must not be empty.");
            }
        }

        if (!IsToken(options.CallerClaim))
        {
            failures.Add($"{section}:CallerClaim must be a claim name (letters, digits, '_', '-', ':', '.', '/').");
        }

        for (var i = 0; i < options.Algorithms.Count; i++)
        {
            if (!AllowedAlgorithms.Contains(options.Algorithms[i]))
            {
                failures.Add($"{section}:Algorithms:{i} must be one of {string.Join(", ", AllowedAlgorithms)}.");
            }
        }

        if (!IsToken(options.ReadScope))
        {
            failures.Add($"{section}:ReadScope must be a scope name (letters, digits, '_', '-', ':', '.', '/').");
        }

        if (!IsToken(options.SendScope))
        {
            failures.Add($"{section}:SendScope must be a scope name (letters, digits, '_', '-', ':', '.', '/').");
        }

        if (string.Equals(options.ReadScope, options.SendScope, StringComparison.Ordinal))
        {
            failures.Add($"{section}:ReadScope and {section}:SendScope must differ.");
        }

        ValidatePrincipals(options, issuers, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePrincipals(OAuthOptions options, List<string> issuers, List<string> failures)
    {
        const string section = OAuthOptions.SectionName;
        if (options.Principals.Count == 0)
        {
            failures.Add($"{section}:Principals: map at least one token principal to a caller (unmapped principals get nothing).");
        }

        for (var i = 0; i < options.Principals.Count; i++)
        {
            var principal = options.Principals[i];
            var path = $"{section}:Principals:{i}";
            if (!issuers.Contains(principal.Issuer, StringComparer.Ordinal))
            {
                failures.Add($"{path}:Issuer must be one of the configured issuers (EntraTenantIds, Issuers).");
            }

            if (string.IsNullOrWhiteSpace(principal.Subject))
            {
                failures.Add($"{path}:Subject must not be empty.");
            }

            if (!CallerIdentity.IsValidId(principal.CallerId))
            {
                failures.Add($"{path}:CallerId must be 1-64 of letters, digits, '-', '_', '.', ':'.");
            }
        }

        if (options.Principals.GroupBy(p => (p.Issuer, p.Subject)).Any(g => g.Count() > 1))
        {
            failures.Add($"{section}:Principals: a principal (Issuer, Subject) is mapped more than once.");
        }
    }

    internal static bool IsResourceUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && uri.AbsolutePath == Mcp.McpEndpoints.Path
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
        && !value.EndsWith('/');

    private static bool IsHttpsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    /// <summary>Safe inside a quoted <c>WWW-Authenticate</c> parameter and a space-separated scope list.</summary>
    private static bool IsToken(string value) =>
        value.Length is > 0 and <= 128
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.' or '/');
}
