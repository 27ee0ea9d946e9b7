using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Jobs.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ScheduledJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestId",
                table: "jobs",
                type: "nvarchar(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourceGroupId",
                table: "jobs",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_RequestId",
                table: "jobs",
                column: "RequestId",
                unique: true,
                filter: "[RequestId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_ScheduleId_Id",
                table: "jobs",
                columns: new[] { "ScheduleId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_RequestId",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "IX_jobs_ScheduleId_Id",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "RequestId",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "SourceGroupId",
                table: "jobs");
        }
    }
}
