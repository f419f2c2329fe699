using Microsoft.Extensions.Options;
using SmsMcp.Http.Jobs;

namespace SmsMcp.Server.Hosting;

public static class InProcessScheduleExtensions
{
    // The names an error lists come from the job list itself, so a new job cannot be left out of the message.
    private static readonly string JobNames = string.Join(", ", ScheduledJobs.All.Select(j => j.Name));

    /// <summary>The <c>Schedule</c> options (validated at start), the job list and <see cref="InProcessSchedule"/>.</summary>
    public static IServiceCollection AddInProcessSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName))
            .Validate(o => o.Jobs.Keys.All(k => ScheduledJobs.All.Any(j => j.Name == k)), $"Schedule:Jobs names a job that does not exist ({JobNames}).")
            .Validate(o => o.Schedules.Keys.All(k => ScheduledJobs.All.Any(j => j.Name == k)), $"Schedule:Schedules names a job that does not exist ({JobNames}).")
            .Validate(o => o.Schedules.Values.All(IsSupported), "Schedule:Schedules holds a schedule other than '0 */N * * * *' or '*/N * * * * *' with N dividing 60.")
            .ValidateOnStart();
        foreach (var job in ScheduledJobs.All)
        {
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<ScheduleOptions>>().Value.Resolve(job));
        }

        services.AddHostedService<InProcessSchedule>();
        return services;
    }

    private static bool IsSupported(string schedule)
    {
        try
        {
            CronPeriod.Parse(schedule);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
