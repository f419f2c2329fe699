using SmsMcp.Core.Lookup;
using SmsMcp.Core.Phone;

namespace SmsMcp.Infrastructure.Sandbox;

/// <summary>
/// The sandbox's <see cref="INumberLookup"/>: offline and free, it answers from the number's class (libphonenumber's
/// type) what Twilio would most likely say — freephone as <c>tollFree</c>, premium as <c>premium</c>, shared cost as
/// <c>sharedCost</c>, personal numbering as <c>personal</c>, UAN, pager and voicemail as <c>uan</c>, <c>pager</c> and
/// <c>voicemail</c>, VoIP as <c>nonFixedVoip</c>, every other number <c>mobile</c> — always valid, with SMS pumping risk 0. So
/// local runs with a lookup profile behave like production for the special ranges and pass everything else.
/// </summary>
public sealed class SandboxNumberLookup : INumberLookup
{
    public Task<NumberLookupAnswer> LookupAsync(PhoneNumber number, CancellationToken cancellationToken) =>
        Task.FromResult(new NumberLookupAnswer(true, LineTypeOf(number.Class), 0));

    private static string LineTypeOf(NumberClass numberClass) => numberClass switch
    {
        NumberClass.Freephone => "tollFree",
        NumberClass.Premium or NumberClass.NanpPremium => "premium",
        NumberClass.SharedCost => "sharedCost",
        NumberClass.PersonalNumbering => "personal",
        NumberClass.Uan => "uan",
        NumberClass.Pager => "pager",
        NumberClass.Voicemail => "voicemail",
        NumberClass.Voip => "nonFixedVoip",
        _ => "mobile",
    };
}
