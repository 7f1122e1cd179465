namespace Irrigation.Core.Protocol
{
    /// <summary>What <see cref="JsonReader.Read"/> found.</summary>
    public enum JsonToken
    {
        /// <summary>Nothing read yet, or the end of the document.</summary>
        None,
        /// <summary>The text is not valid JSON; <see cref="JsonReader.Error"/> says why.</summary>
        Invalid,
        /// <summary><c>{</c></summary>
        StartObject,
        /// <summary><c>}</c></summary>
        EndObject,
        /// <summary><c>[</c></summary>
        StartArray,
        /// <summary><c>]</c></summary>
        EndArray,
        /// <summary>A property name; its value follows.</summary>
        PropertyName,
        /// <summary>A string value.</summary>
        String,
        /// <summary>A number; <see cref="JsonReader.IsInteger"/> tells whether it is a whole number in range.</summary>
        Number,
        /// <summary><c>true</c></summary>
        True,
        /// <summary><c>false</c></summary>
        False,
        /// <summary><c>null</c></summary>
        Null,
    }
}
