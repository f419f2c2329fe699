namespace SmsMcp.Http.Hosting;

public static class SingletonEndpointFilters
{
    /// <summary>
    /// Puts <typeparamref name="TFilter"/> — registered as a singleton — in front of the endpoints, resolved once when
    /// each endpoint is built. The framework's <c>AddEndpointFilter&lt;TFilter&gt;</c> instead constructs a new filter on
    /// every request through <c>ActivatorUtilities</c>, whose factory is compiled from expression trees at start: that
    /// alone loads System.Linq.Expressions (~2.4 MiB mapped) and the JIT work behind it.
    /// </summary>
    public static TBuilder AddSingletonEndpointFilter<TBuilder, TFilter>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        where TFilter : IEndpointFilter
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var filter = context.ApplicationServices.GetRequiredService<TFilter>();
            return invocation => filter.InvokeAsync(invocation, next);
        });
        return builder;
    }
}
