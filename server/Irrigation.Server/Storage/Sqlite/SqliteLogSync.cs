using System.Runtime.InteropServices;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Makes the ingest writer's commits durable from another thread: a sync of the write-ahead log, which is what
/// synchronous=FULL does inside each commit. Done here instead, the writer inserts and commits the next batch while
/// the previous one is being synced, and one sync covers every commit before it (group commit).
/// </summary>
/// <remarks>
/// A sync applies to the file, not to the descriptor, so this handle's sync covers SQLite's writes. The log stays the
/// same file while the writer's connection is open: SQLite deletes it only when the last connection closes, and
/// restarts it in place after a checkpoint (synchronous=NORMAL syncs its header then). SQLite takes no locks on the
/// log file itself (they are on the database and the -shm file), so this descriptor cannot release one on close.
/// On Linux the sync is fdatasync, as SQLite's own: the log's data and size reach the disk, its modification time
/// does not have to (fsync would commit the file system's journal for that alone when the log is rewritten in place).
/// </remarks>
public sealed class SqliteLogSync : IDisposable
{
    private readonly FileStream _log;

    /// <summary>Opens the log of a database whose writer connection is open (so the log exists).</summary>
    public SqliteLogSync(string logPath)
    {
        // ReadWrite: FileStream only fsyncs a writable handle. Nothing is ever written through it.
        _log = new FileStream(logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    /// <summary>Returns once every commit made before the call is on disk.</summary>
    /// <exception cref="IOException">The operating system could not sync the file.</exception>
    public void Sync()
    {
        if (!OperatingSystem.IsLinux())
        {
            _log.Flush(flushToDisk: true);
            return;
        }

        var handle = _log.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync of {_log.Name} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);
}
