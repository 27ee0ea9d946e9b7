using Microsoft.Extensions.Configuration;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>A wrong configuration value stops the process with a message naming its key.</summary>
public sealed class ConfigurationChoiceTests
{
    [Theory]
    [InlineData(null, BusTransport.InMemory)]
    [InlineData("RabbitMq", BusTransport.RabbitMq)]
    [InlineData("rabbitmq", BusTransport.RabbitMq)]
    public void A_choice_reads_by_name_whatever_its_case(string? value, BusTransport expected)
    {
        Assert.Equal(expected, Configuration(("Bus:Transport", value)).GetEnum("Bus:Transport", BusTransport.InMemory));
    }

    [Theory]
    [InlineData("Bus:Transport", "Kafka", "InMemory, RabbitMq")]
    [InlineData("Bus:Transport", "1", "InMemory, RabbitMq")]
    [InlineData("Database:Provider", "Postgres", "Sqlite, SqlServer")]
    public void An_unknown_choice_or_a_number_names_the_key_and_the_choices(string key, string value, string choices)
    {
        var configuration = Configuration((key, value));
        var error = key == "Bus:Transport"
            ? Assert.Throws<InvalidOperationException>(() => configuration.GetEnum(key, BusTransport.InMemory))
            : Assert.Throws<InvalidOperationException>(() => configuration.GetDatabaseProvider());
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains(choices, error.Message);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void An_unusable_gateway_signing_key_names_the_key(string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GatewayTokens.ReadKey(Configuration(("Auth:GatewaySigningKey", key))));
        Assert.Contains("Auth:GatewaySigningKey", error.Message);
    }

    [Fact]
    public void No_gateway_signing_key_is_no_gateway()
    {
        Assert.Null(GatewayTokens.ReadKey(Configuration()));
        Assert.Equal(32, GatewayTokens.ReadKey(Configuration(("Auth:GatewaySigningKey", Convert.ToBase64String(new byte[32]))))!.Length);
    }

    static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
