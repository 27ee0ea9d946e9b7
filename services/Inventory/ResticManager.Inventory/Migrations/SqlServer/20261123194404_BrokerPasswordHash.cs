using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Inventory.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BrokerPasswordHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BrokerPasswordHash",
                table: "hosts",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BrokerPasswordHash",
                table: "hosts");
        }
    }
}
