using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class HostStateVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "StateVersion",
                table: "hosts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StateVersion",
                table: "hosts");
        }
    }
}
