namespace Irrigation.Core.Protocol
{
    /// <summary>The <c>data.code</c> values of an <c>error</c> frame.</summary>
    public static class ErrorCodes
    {
        /// <summary>Not JSON, not UTF-8 text, or not an envelope object.</summary>
        public const string BadJson = "bad_json";
        /// <summary>An event name the receiver does not know.</summary>
        public const string UnknownEvent = "unknown_event";
        /// <summary>A field is missing, of the wrong type, or out of range.</summary>
        public const string BadField = "bad_field";
        /// <summary>The frame is larger than the receiver's limit.</summary>
        public const string TooLarge = "too_large";
        /// <summary>The sender exceeded its event rate.</summary>
        public const string RateLimited = "rate_limited";
        /// <summary>The sender is not allowed to do this.</summary>
        public const string Unauthorized = "unauthorized";
    }
}
