// These tests drive Linux processes (Debian's chromium, real agents and restic).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
