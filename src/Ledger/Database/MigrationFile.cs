using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Provenance.Ledger.Database;

/// <summary>One numbered SQL file, <c>NNNN_name.sql</c>, and the checksum of its text (line endings normalised).</summary>
public sealed partial record MigrationFile(int Version, string FileName, string Sql, string Checksum)
{
    [GeneratedRegex(@"^(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>Every *.sql file in the folder, ordered by version.</summary>
    /// <exception cref="MigrationException">the folder is missing, a name does not follow the pattern, or two files share a version.</exception>
    public static IReadOnlyList<MigrationFile> ReadFolder(string directory)
    {
        if (!Directory.Exists(directory))
            throw new MigrationException($"the migrations folder {directory} does not exist");
        var files = new List<MigrationFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sql"))
        {
            var fileName = Path.GetFileName(path);
            var match = NamePattern().Match(fileName);
            if (!match.Success)
                throw new MigrationException($"migration file name {fileName} does not follow NNNN_lowercase_name.sql") { FileName = fileName };
            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            var sql = File.ReadAllText(path, Encoding.UTF8).ReplaceLineEndings("\n");
            files.Add(new MigrationFile(version, fileName, sql, ChecksumOf(sql)));
        }
        files.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < files.Count; i++)
            if (files[i].Version == files[i - 1].Version)
                throw new MigrationException($"migrations {files[i - 1].FileName} and {files[i].FileName} share version {files[i].Version}") { FileName = files[i].FileName };
        return files;
    }

    public static string ChecksumOf(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
}

/// <summary>What the database holds against the migration files: applied, pending, changed since applied
/// (checksum mismatch) and unknown (applied in the database, missing from the folder).</summary>
public sealed record MigrationStatus(
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Unknown)
{
    public bool UpToDate => Pending.Count == 0 && Changed.Count == 0 && Unknown.Count == 0;
}
