using Irrigation.Core.Protocol;

namespace Irrigation.Core.Tests.Protocol;

public class JsonReaderTests
{
    [Fact]
    public void Read_NestedDocument_YieldsTokensInOrder()
    {
        var reader = new JsonReader();
        reader.Reset("""{"a":[1,-2,"x",true,false,null,{}],"b":{"c":[]}}""");
        var tokens = new List<string>();
        while (reader.Read())
        {
            tokens.Add(reader.Token + (reader.Token == JsonToken.PropertyName || reader.Token == JsonToken.String ? ":" + reader.StringValue : reader.Token == JsonToken.Number ? ":" + reader.IntegerValue : ""));
        }

        Assert.Equal(JsonToken.None, reader.Token);
        Assert.Equal(
            new[] { "StartObject", "PropertyName:a", "StartArray", "Number:1", "Number:-2", "String:x", "True", "False", "Null", "StartObject", "EndObject", "EndArray", "PropertyName:b", "StartObject", "PropertyName:c", "StartArray", "EndArray", "EndObject", "EndObject" },
            tokens);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e2")]
    [InlineData("-0.0")]
    [InlineData("9223372036854775808")]
    public void Read_NonIntegerNumber_IsNumberButNotInteger(string number)
    {
        var reader = new JsonReader();
        reader.Reset("[" + number + "]");
        reader.Read();

        Assert.True(reader.Read());
        Assert.Equal(JsonToken.Number, reader.Token);
        Assert.False(reader.IsInteger);
    }

    [Theory]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-0", 0L)]
    public void Read_IntegerLimits_Exact(string number, long expected)
    {
        var reader = new JsonReader();
        reader.Reset(number);

        Assert.True(reader.Read());
        Assert.True(reader.IsInteger);
        Assert.Equal(expected, reader.IntegerValue);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"a\"}")]
    [InlineData("{\"a\":}")]
    [InlineData("[1,]")]
    [InlineData("[1 2]")]
    [InlineData("{,}")]
    [InlineData("]")]
    [InlineData("\"abc")]
    [InlineData("\"\\u00\"")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("nul")]
    [InlineData("{} {}")]
    [InlineData("")]
    public void Read_MalformedText_InvalidWithReason(string text)
    {
        var reader = new JsonReader();
        reader.Reset(text);
        while (reader.Read())
        {
        }

        Assert.Equal(JsonToken.Invalid, reader.Token);
        Assert.Contains(" at ", reader.Error);
    }

    [Fact]
    public void Skip_ObjectValue_LandsOnNextProperty()
    {
        var reader = new JsonReader();
        reader.Reset("""{"skip":{"x":[1,{"y":2}]},"keep":5}""");
        reader.Read();
        reader.Read();
        Assert.True(reader.Skip());

        Assert.True(reader.Read());
        Assert.Equal("keep", reader.StringValue);
    }
}
