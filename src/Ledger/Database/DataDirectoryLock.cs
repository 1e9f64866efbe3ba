namespace Provenance.Ledger.Database;

/// <summary>An exclusive lock (flock on a sibling <c>DIR.lock</c> file) held while a cluster starts or stops, so
/// that two processes never run initdb or pg_ctl on one data folder at once.</summary>
internal sealed class DataDirectoryLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static async Task<DataDirectoryLock> AcquireAsync(string dataDirectory, CancellationToken ct)
    {
        var path = dataDirectory + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddedPostgresException(EmbeddedPostgresFailure.DataDirectoryNotWritable,
                $"cannot create the folder for the PostgreSQL data directory {dataDirectory}: {e.Message}", e);
        }
        while (true)
        {
            try
            {
                return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new EmbeddedPostgresException(EmbeddedPostgresFailure.DataDirectoryNotWritable,
                    $"cannot write {path} next to the PostgreSQL data directory: {e.Message}", e);
            }
            catch (IOException)
            {
                // Held by another process (or another instance in this one): wait for it.
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
