using SmsMcp.Http.Jobs;

namespace SmsMcp.Server.Hosting;

public static class InProcessScheduleExtensions
{
    /// <summary>The <c>Schedule</c> options (validated at start), the job list and <see cref="InProcessSchedule"/>.</summary>
    public static IServiceCollection AddInProcessSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName))
            .Validate(o => o.Jobs.Keys.All(k => ScheduledJobs.All.Any(j => j.Name == k)), "Schedule:Jobs names a job that does not exist (anomaly-scan, reconcile-status).")
            .ValidateOnStart();
        foreach (var job in ScheduledJobs.All)
        {
            services.AddSingleton(job);
        }

        services.AddHostedService<InProcessSchedule>();
        return services;
    }
}
