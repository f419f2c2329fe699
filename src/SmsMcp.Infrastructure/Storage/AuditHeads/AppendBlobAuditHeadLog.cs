using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.AuditHeads;

/// <summary>
/// The head log in Azure: one append blob per publication day (<c>yyyyMMdd.jsonl</c>) in a container whose
/// time-based immutability policy allows protected append writes, so the app can add checkpoints but nobody can
/// rewrite or delete one until the retention period ends. Page versions are the blob's ETag; appends are conditional
/// on it. The emulator (Azurite) serves append blobs but does not enforce immutability: there the log is only as
/// durable as any blob.
/// </summary>
public sealed class AppendBlobAuditHeadLog(BlobContainerClient container) : IAuditHeadLog
{
    public string Location => container.Uri.GetLeftPart(UriPartial.Path);

    public async Task<AuditHeadLogPage> ReadAsync(DateOnly publishedOn, CancellationToken cancellationToken)
    {
        try
        {
            var result = await container.GetBlobClient(NameOf(publishedOn)).DownloadContentAsync(cancellationToken);
            var lines = result.Value.Content.ToString().Split('\n').ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return new AuditHeadLogPage(lines, result.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return AuditHeadLogPage.Empty;
        }
        catch (RequestFailedException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task<string> AppendAsync(DateOnly publishedOn, string line, string? version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(line);
        var blob = container.GetAppendBlobClient(NameOf(publishedOn));
        try
        {
            var etag = version is null ? await CreateAsync(blob, cancellationToken) : new ETag(version);

            using var content = new MemoryStream(Encoding.UTF8.GetBytes(line + "\n"));
            var appended = await blob.AppendBlockAsync(content, new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfMatch = etag } }, cancellationToken);
            return appended.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new PreconditionFailedException("audit head log");
        }
        catch (RequestFailedException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task<ETag> CreateAsync(AppendBlobClient blob, CancellationToken cancellationToken)
    {
        var options = new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            return (await blob.CreateAsync(options, cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Provisioned by infra/ in Azure (where the app's role is scoped to the container and could not create it);
            // created here for the emulator and local trials.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return (await blob.CreateAsync(options, cancellationToken)).Value.ETag;
        }
    }

    private static string NameOf(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".jsonl";

    // Status and error code only: messages of the SDK can carry request URIs.
    private static StorageUnavailableException Unavailable(RequestFailedException e) =>
        new($"The audit head log cannot be reached (HTTP {e.Status.ToString(CultureInfo.InvariantCulture)}, {e.ErrorCode ?? "no error code"}).", e);
}
