using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Jobs.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RepositoryChangeVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RepositoryChangeVersion",
                table: "job_hosts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RepositoryChangeVersion",
                table: "job_hosts");
        }
    }
}
