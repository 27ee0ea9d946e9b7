using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LiveHostnameUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_hosts_Hostname_live",
                table: "hosts",
                column: "Hostname",
                unique: true,
                filter: "[Status] <> N'Revoked'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hosts_Hostname_live",
                table: "hosts");
        }
    }
}
