using System.Runtime.InteropServices;

namespace Provenance.Ledger.Database;

/// <summary>A local Unix account (uid, gid) and the few libc calls the launcher needs.</summary>
internal sealed partial record UnixAccount(string Name, uint Uid, uint Gid)
{
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Looks an account up by name; null when it does not exist.</summary>
    public static UnixAccount? Find(string name)
    {
        var entry = getpwnam(name);
        if (entry == IntPtr.Zero) return null;
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
        var uid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        var gid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size + 4);
        return new UnixAccount(name, uid, gid);
    }

    /// <summary>Gives a file or folder to this account.</summary>
    public void Own(string path)
    {
        if (chown(path, Uid, Gid) != 0)
            throw new IOException($"chown {path} to {Name} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Gives a folder and everything below it to this account.</summary>
    public void OwnRecursively(string path)
    {
        Own(path);
        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
            Own(entry);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);
}
