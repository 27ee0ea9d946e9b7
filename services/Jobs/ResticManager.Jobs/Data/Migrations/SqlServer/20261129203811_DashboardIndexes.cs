using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Jobs.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_jobs_FinishedAt",
                table: "jobs",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_HostId_Kind_FinishedAt",
                table: "jobs",
                columns: new[] { "HostId", "Kind", "FinishedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_FinishedAt",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "IX_jobs_HostId_Kind_FinishedAt",
                table: "jobs");
        }
    }
}
