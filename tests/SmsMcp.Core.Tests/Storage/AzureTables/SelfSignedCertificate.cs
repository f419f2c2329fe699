using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// A throwaway certificate for 127.0.0.1, written as PEM files for Azurite's <c>--cert</c>/<c>--key</c>. Trusted only by
/// the transport this class hands out (pinned by hash); nothing is installed into any certificate store.
/// </summary>
internal sealed class SelfSignedCertificate : IDisposable
{
    private readonly string _directory;
    private readonly byte[] _sha256;

    private SelfSignedCertificate(string directory, byte[] sha256)
    {
        _directory = directory;
        _sha256 = sha256;
    }

    public string CertificatePemPath => Path.Combine(_directory, "cert.pem");

    public string KeyPemPath => Path.Combine(_directory, "key.pem");

    public static SelfSignedCertificate Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        var directory = Path.Combine(Path.GetTempPath(), "smsmcp-cert-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var created = new SelfSignedCertificate(directory, certificate.GetCertHash(HashAlgorithmName.SHA256));
        File.WriteAllText(created.CertificatePemPath, certificate.ExportCertificatePem());
        File.WriteAllText(created.KeyPemPath, rsa.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>An Azure.Core transport that accepts exactly this certificate and nothing else that fails validation.</summary>
    public HttpClientTransport TrustingTransport() => new(TrustingHandler());

    /// <summary>An HTTP handler that accepts exactly this certificate and nothing else that fails validation.</summary>
    public HttpClientHandler TrustingHandler()
    {
        var pinned = _sha256;
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned)),
        };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail a test that passed.
        }
    }
}
