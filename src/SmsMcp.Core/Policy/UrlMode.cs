namespace SmsMcp.Core.Policy;

/// <summary>What a profile does with links in a message body.</summary>
public enum UrlMode
{
    /// <summary>Any link or web address refuses the send (<c>"deny"</c>; the default).</summary>
    Deny,

    /// <summary>Only links to the listed domains (and their subdomains) pass (<c>"allowList"</c>).</summary>
    AllowList,
}
