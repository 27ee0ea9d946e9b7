using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Migrations.SqlServer
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
                    HostId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Url = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    Username = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ProtectedCredential = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ProtectedPassword = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ProtectedEnv = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    EnvNames = table.Column<string>(type: "nvarchar(max)", maxLength: 4096, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
