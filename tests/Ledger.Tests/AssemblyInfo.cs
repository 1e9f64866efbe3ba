// The ledger's tests start the machine's PostgreSQL: they run on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
