using SmsMcp.Http.Auth;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>The app with one operator key configured under <c>Admin:Keys</c> (only its salted hash, as in production).</summary>
public class AdminFactory : SmsMcpFactory
{
    public const string AdminKey = "test-admin-key-0123456789abcdefghijklmn";
    public const string OperatorId = "ops-alice";

    private readonly ApiKeyHash _hash = ApiKeyHash.Create(AdminKey);

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Admin:Keys:0:Id", OperatorId),
        new("Admin:Keys:0:KeySalt", _hash.SaltBase64),
        new("Admin:Keys:0:KeyHash", _hash.HashBase64),
        .. MoreSettings,
    ];

    /// <summary>Settings a subclass adds.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings => [];
}
