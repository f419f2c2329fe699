using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// Signs each try of a request with the Table service's SharedKeyLite scheme: an HMAC-SHA256, under the account key,
/// of <c>x-ms-date + "\n" + "/" + account + path</c>. Hand-written because Azure.Data.Tables, which carries one, is not
/// served by the package registry here.
/// </summary>
/// <remarks>Runs per retry so every try carries a fresh date (the service rejects signatures older than 15 minutes).</remarks>
internal sealed class SharedKeyLiteAuthenticationPolicy(TableSharedKeyCredential credential, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);

        // The path exactly as it goes on the wire (still percent-encoded), as the service canonicalises it.
        // No comp= query parameter is ever used by this client, so none is appended.
        var stringToSign = date + "\n/" + credential.AccountName + message.Request.Uri.ToUri().AbsolutePath;
        var signature = Convert.ToBase64String(HMACSHA256.HashData(credential.Key, Encoding.UTF8.GetBytes(stringToSign)));
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKeyLite {credential.AccountName}:{signature}");
    }
}
