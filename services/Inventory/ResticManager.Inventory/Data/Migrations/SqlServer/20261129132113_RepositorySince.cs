using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RepositorySince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RepositorySince",
                table: "host_repositories",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // An existing binding names its repository since its current version (which the jobs service may have initialized).
            migrationBuilder.Sql("UPDATE [host_repositories] SET [RepositorySince] = [Version];");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RepositorySince",
                table: "host_repositories");
        }
    }
}
