using System.Text.Json;
using ResticManager.Jobs;

namespace ResticManager.UnitTests.Jobs;

public sealed class SummaryNamesTests
{
    [Fact]
    public void Restics_snake_case_summary_reads_in_camel_case_with_every_field_and_value_kept()
    {
        var restic = JsonDocument.Parse("""{"message_type":"summary","files_new":25,"data_added":1024,"total_duration":1.5,"snapshot_id":"ab12","future_list":[{"inner_name":true}],"n":null}""").RootElement;

        var shown = SummaryNames.ToCamelCase(restic)!.ToJsonString();

        Assert.Equal("""{"messageType":"summary","filesNew":25,"dataAdded":1024,"totalDuration":1.5,"snapshotId":"ab12","futureList":[{"innerName":true}],"n":null}""", shown);
    }
}
