using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Pricing;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Usage;

namespace SmsMcp.Core.Sending;

public static class SendingServiceCollectionExtensions
{
    /// <summary>The send pipeline and the stores and lists it consults.</summary>
    public static IServiceCollection AddSmsSending(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecipientOptions>().Bind(configuration.GetSection(RecipientOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecipientOptions>, RecipientOptionsValidator>();
        services.AddOptions<PricingOptions>()
            .Bind(configuration.GetSection(PricingOptions.SectionName))
            .Validate(o => o.PerSegment.Values.All(p => p >= 0), "Pricing:PerSegment prices must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<RecipientDirectory>();
        services.AddSingleton<PriceList>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<UsageCounters>();
        services.AddSingleton<SendPipeline>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
