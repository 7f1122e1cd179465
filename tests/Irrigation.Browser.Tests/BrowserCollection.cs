namespace Irrigation.Browser.Tests
{
    /// <summary>Every browser test class shares one <see cref="BrowserFixture"/> (and so runs one class at a time).</summary>
    [CollectionDefinition(Name)]
    public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
    {
        /// <summary>The collection name for [Collection(BrowserCollection.Name)].</summary>
        public const string Name = "browser";
    }
}
