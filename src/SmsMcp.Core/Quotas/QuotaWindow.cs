namespace SmsMcp.Core.Quotas;

/// <summary>A UTC calendar window a quota counts in. Each starts from zero when the next one begins.</summary>
public enum QuotaWindow
{
    Minute,
    Hour,
    Day,
    Month,
}
