namespace SmsMcp.Core.Delivery;

/// <summary>Asks the carrier for the current status of one message by the carrier's id, for reconciliation.</summary>
public interface IMessageStatusFetcher
{
    /// <summary>
    /// The carrier's report for <paramref name="providerMessageId"/>, addressed to our <paramref name="messageId"/>; null when
    /// the carrier could not answer (the implementation logs why, without numbers or secrets).
    /// </summary>
    Task<DeliveryReport?> FetchAsync(string messageId, string providerMessageId, CancellationToken cancellationToken);
}
