using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Access.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TokenGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Grants",
                table: "api_tokens",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            // Every existing token held one role over the whole fleet.
            migrationBuilder.Sql("UPDATE api_tokens SET Grants = Role + '@*'");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "api_tokens");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Grants",
                table: "api_tokens");

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "api_tokens",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");
        }
    }
}
