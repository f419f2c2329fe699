using System.Globalization;
using System.Text;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.AuditHeads;

/// <summary>
/// The local head log: one append-only JSON-lines file per publication day in a folder. The version of a page is its
/// length; appends hold an exclusive lock on the file and refuse when the length moved, so two publishers cannot
/// interleave. What it does not prove: the file is not immutable — whoever can write the folder can cut its newest
/// lines off (checkpoints in the middle are chained and sealed, so removing or editing those is named).
/// </summary>
public sealed class FileAuditHeadLog(string directory) : IAuditHeadLog
{
    private readonly string _directory = Path.GetFullPath(directory);

    public string Location => _directory;

    public async Task<AuditHeadLogPage> ReadAsync(DateOnly publishedOn, CancellationToken cancellationToken)
    {
        var path = PathOf(publishedOn);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken);
            var lines = text.Split('\n').ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return new AuditHeadLogPage(lines, stream.Length.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return AuditHeadLogPage.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"The audit head log page {Path.GetFileName(path)} cannot be read ({e.GetType().Name}).", e);
        }
    }

    public async Task<string> AppendAsync(DateOnly publishedOn, string line, string? version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(line);
        if (line.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A head log line holds no line break.", nameof(line));
        }

        var path = PathOf(publishedOn);
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            // FileShare.None: an exclusive lock, also between processes, for the check and the append.
            await using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
            var expected = version is null ? 0 : long.Parse(version, CultureInfo.InvariantCulture);
            if (stream.Length != expected)
            {
                throw new PreconditionFailedException("audit head log");
            }

            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
            return stream.Length.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"The audit head log page {Path.GetFileName(path)} cannot be appended to ({e.GetType().Name}).", e);
        }
    }

    private string PathOf(DateOnly day) => Path.Combine(_directory, day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".jsonl");
}
