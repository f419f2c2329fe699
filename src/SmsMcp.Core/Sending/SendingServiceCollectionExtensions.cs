using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Sending;

public static class SendingServiceCollectionExtensions
{
    /// <summary>The send pipeline and the stores and lists it consults. Needs <c>AddSmsPolicy</c> for the policy engine and <c>AddSmsQuotas</c>.</summary>
    public static IServiceCollection AddSmsSending(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<MessageStore>();
        // Message records and pending markers live in the audit trail's table (AddSmsAudit); the tables of the layout before
        // issue 16 stay declared while they are read as a fallback (README, Operations, says when they may be dropped).
        services.AddTable(MessageStore.LegacyTable).AddTable(MessageIndex.LegacyTable);
        services.AddSingleton<IdempotencyStore>();
        services.AddTable(IdempotencyStore.Table);
        services.AddSingleton<SuppressionList>();
        services.AddMetrics();
        services.TryAddSingleton<SmsMcpMetrics>();
        services.AddTable(SuppressionList.Table);
        services.AddSingleton<RuntimeControls>();
        services.AddTable(RuntimeControls.Table);
        services.AddHostedService<ControlsLayoutMigration>();
        services.AddOptions<ApprovalOptions>()
            .Bind(configuration.GetSection(ApprovalOptions.SectionName))
            .Validate(o => o.Lifetime >= TimeSpan.FromMinutes(1) && o.Lifetime <= ApprovalOptions.MaximumLifetime, $"Approvals:Lifetime must be between 00:01:00 and {ApprovalOptions.MaximumLifetime}.")
            .ValidateOnStart();
        services.AddSingleton<ContactBook>();
        services.AddTable(ContactBook.Table);
        services.AddSingleton<ApprovalStore>();
        services.AddTable(ApprovalStore.Table);
        services.AddSingleton<ApprovalService>();
        services.TryAddSingleton<TrafficCounters>();
        services.AddTable(TrafficCounters.Table);
        services.AddSingleton<SendPipeline>();
        services.AddSingleton<RefusalBeforeWalk>();
        services.AddSingleton<IApprovedSender>(sp => sp.GetRequiredService<SendPipeline>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
