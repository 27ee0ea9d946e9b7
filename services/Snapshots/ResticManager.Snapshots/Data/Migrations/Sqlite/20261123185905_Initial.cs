using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Snapshots.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_catalogs",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RefreshedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TotalSizeBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    SnapshotCount = table.Column<long>(type: "INTEGER", nullable: true),
                    LastCheckAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastCheckSucceeded = table.Column<bool>(type: "INTEGER", nullable: true),
                    LockPresent = table.Column<bool>(type: "INTEGER", nullable: true),
                    StatsUpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_catalogs", x => x.HostId);
                });

            migrationBuilder.CreateTable(
                name: "processed_events",
                columns: table => new
                {
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProcessedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_events", x => new { x.AgentId, x.EventId });
                });

            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ShortId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    PathsJson = table.Column<string>(type: "TEXT", nullable: false),
                    TagsJson = table.Column<string>(type: "TEXT", nullable: true),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    FileCount = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_snapshots", x => new { x.HostId, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_snapshots_HostId_Time",
                table: "snapshots",
                columns: new[] { "HostId", "Time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_catalogs");

            migrationBuilder.DropTable(
                name: "processed_events");

            migrationBuilder.DropTable(
                name: "snapshots");
        }
    }
}
