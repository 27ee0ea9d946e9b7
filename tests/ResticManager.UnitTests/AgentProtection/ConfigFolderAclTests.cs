using ResticManager.Agent.Storage.Protection;

namespace ResticManager.UnitTests.AgentProtection;

public sealed class ConfigFolderAclTests
{
    [Fact]
    public void The_folder_is_owned_by_administrators_with_full_control_for_system_and_administrators_only_nothing_inherited()
    {
        Assert.Equal("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", ConfigFolderAcl.Sddl);
    }

    [Fact]
    public void The_builder_grants_each_trustee_inheritable_full_control_under_a_protected_dacl()
    {
        Assert.Equal("O:SYG:SYD:PAI(A;OICI;FA;;;SY)", ConfigFolderAcl.Build("SY", "SY", ["SY"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfigFolderAcl.Build("BA", "SY", []));
    }

    [Theory]
    // What we set, as written and as Windows reads back owner and DACL only.
    [InlineData("O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")]
    [InlineData("O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")]
    // Narrower is fine: SYSTEM only, a deny, or owned by SYSTEM.
    [InlineData("O:SYD:P(A;OICI;FA;;;SY)")]
    [InlineData("O:BAD:PAI(D;OICI;WD;;;BA)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")]
    public void Rights_no_wider_than_ours_are_left_alone(string sddl) => Assert.True(ConfigFolderAcl.IsAtMostAsOpenAs(sddl));

    [Theory]
    // A plain folder under ProgramData: inherits Users read and Creator Owner.
    [InlineData("O:BAD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)")]
    // Our entries, but the parent's still flow in.
    [InlineData("O:BAD:AI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")]
    // Protected, but one more trustee (Everyone, Users, a user SID).
    [InlineData("O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FR;;;WD)")]
    [InlineData("O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;BU)")]
    [InlineData("O:BAD:PAI(A;OICI;FA;;;S-1-5-21-1004336348-1177238915-682003330-1001)")]
    // Owned by a user, who can always rewrite the DACL.
    [InlineData("O:S-1-5-21-1004336348-1177238915-682003330-1001D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")]
    // No DACL means everyone; a null DACL likewise.
    [InlineData("O:BAG:SY")]
    [InlineData("O:BAD:NO_ACCESS_CONTROL")]
    public void Anything_wider_is_looser(string sddl) => Assert.False(ConfigFolderAcl.IsAtMostAsOpenAs(sddl));

    [Theory]
    // A file the agent wrote into its folder: owned by Administrators (or SYSTEM, the service), the folder's entries inherited.
    [InlineData("O:BAD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)")]
    [InlineData("O:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)")]
    // Explicit entries for SYSTEM or Administrators, or a deny for anyone, take nothing from the agent.
    [InlineData("O:BAD:P(A;;FA;;;SY)")]
    [InlineData("O:BAD:AI(D;;FA;;;BU)(A;ID;FA;;;SY)(A;ID;FA;;;BA)")]
    public void Entries_the_agent_could_have_written_itself_pass(string sddl) => Assert.Null(ConfigFolderAcl.EntryProblem(sddl));

    [Theory]
    // Planted by a user before the folder was secured: their own file, whatever its DACL says now.
    [InlineData("O:S-1-5-21-1004336348-1177238915-682003330-1001D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)", "owned by S-1-5-21-1004336348-1177238915-682003330-1001")]
    // Owned right, but an explicit grant to someone else survives the folder's new rights.
    [InlineData("O:BAD:AI(A;;FA;;;S-1-5-21-1004336348-1177238915-682003330-1001)(A;ID;FA;;;SY)(A;ID;FA;;;BA)", "open to S-1-5-21-1004336348-1177238915-682003330-1001")]
    [InlineData("O:BAD:PAI(A;;0x1200a9;;;BU)(A;;FA;;;SY)", "open to BU")]
    // An entry marked inherited but not from our folder (a protected DACL keeps it) opens it all the same.
    [InlineData("O:BAD:PAI(A;ID;FA;;;WD)(A;ID;FA;;;SY)", "open to WD")]
    [InlineData("O:BAD:NO_ACCESS_CONTROL", "without an access list (open to everyone)")]
    [InlineData("O:BAG:SY", "without an access list (open to everyone)")]
    [InlineData("G:SYD:P(A;;FA;;;SY)", "owned by nobody")]
    public void Entries_someone_else_planted_or_opened_are_named_with_why(string sddl, string problem) =>
        Assert.Equal(problem, ConfigFolderAcl.EntryProblem(sddl));
}
