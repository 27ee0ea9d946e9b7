using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RepositoryBinding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_repositories",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Url = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Username = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ProtectedCredential = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ProtectedEnv = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    EnvNames = table.Column<string>(type: "nvarchar(max)", maxLength: 4096, nullable: true),
                    UploadLimitKBps = table.Column<int>(type: "int", nullable: true),
                    DownloadLimitKBps = table.Column<int>(type: "int", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_repositories", x => x.HostId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_repositories");
        }
    }
}
