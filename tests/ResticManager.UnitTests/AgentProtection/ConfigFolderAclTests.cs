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
}
