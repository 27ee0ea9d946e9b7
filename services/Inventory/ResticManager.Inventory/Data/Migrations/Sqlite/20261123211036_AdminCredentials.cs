using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_repository_admin_credentials",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Username = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ProtectedCredential = table.Column<string>(type: "TEXT", nullable: true),
                    ProtectedPassword = table.Column<string>(type: "TEXT", nullable: true),
                    ProtectedEnv = table.Column<string>(type: "TEXT", nullable: true),
                    EnvNames = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_repository_admin_credentials", x => x.HostId);
                    table.ForeignKey(
                        name: "FK_host_repository_admin_credentials_host_repositories_HostId",
                        column: x => x.HostId,
                        principalTable: "host_repositories",
                        principalColumn: "HostId",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_repository_admin_credentials");
        }
    }
}
