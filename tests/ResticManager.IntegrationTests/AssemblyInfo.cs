// These tests drive Linux processes (POSIX signals, setpriv, /proc) and Debian packages.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
