using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ResticManager.Schedules.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class HostLabels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_label_sets",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_label_sets", x => x.HostId);
                });

            migrationBuilder.CreateTable(
                name: "host_labels",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Label = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false, collation: "Latin1_General_100_BIN2")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_labels", x => new { x.HostId, x.Label });
                });

            migrationBuilder.CreateIndex(
                name: "IX_host_labels_Label_HostId",
                table: "host_labels",
                columns: new[] { "Label", "HostId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_label_sets");

            migrationBuilder.DropTable(
                name: "host_labels");
        }
    }
}
