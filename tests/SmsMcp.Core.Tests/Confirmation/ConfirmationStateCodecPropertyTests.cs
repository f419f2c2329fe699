using System.Buffers.Text;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Confirmation;

namespace SmsMcp.Core.Tests.Confirmation;

/// <summary>
/// The request-state codec over generated states: what it encodes decodes to the same state, and nothing else decodes —
/// not one flipped bit anywhere in the token, not one changed character, not a truncation or an extension, not another
/// key's token. The request digest tells apart any two requests that differ in one field or in where fields end.
/// </summary>
public sealed class ConfirmationStateCodecPropertyTests
{
    private static readonly ConfirmationStateCodec Codec = new(RandomNumberGenerator.GetBytes(32));

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Elements("", "dev", "caller-1", "日本語", "Família 👨‍👩‍👧", "a\u0000b", "+12025550123"),
        ArbMap.Default.ArbFor<NonNull<string>>().Generator.Select(s => s.Get));

    private static readonly Gen<ConfirmationState> States =
        from caller in Text
        from digest in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32)
        from ms in Gen.Choose(0, int.MaxValue)
        from scale in Gen.Choose(0, 2000)
        select ConfirmationStateCodec.NewState(caller, Convert.ToHexStringLower(digest), DateTimeOffset.FromUnixTimeMilliseconds((long)ms * scale));

    private static Config Many => Config.QuickThrowOnFailure.WithMaxTest(1000);

    [Fact]
    public void EncodedState_DecodesToTheSameState() =>
        Check.One(Many, Prop.ForAll(States.ToArbitrary(), state => Codec.Decode(Codec.Encode(state)) == state));

    [Fact]
    public void AnyBitFlip_IsRefused() =>
        Check.One(Many, Prop.ForAll(
            (from state in States
             from position in Gen.Choose(0, int.MaxValue)
             select (state, position)).ToArbitrary(),
            pair =>
            {
                var bytes = Base64Url.DecodeFromChars(Codec.Encode(pair.state));
                var bit = pair.position % (bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return Codec.Decode(Base64Url.EncodeToString(bytes)) is null;
            }));

    [Fact]
    public void EveryBitOfOneToken_FlippedInTurn_IsRefused()
    {
        var bytes = Base64Url.DecodeFromChars(Codec.Encode(ConfirmationStateCodec.NewState("dev", new string('a', 64), DateTimeOffset.UnixEpoch.AddYears(57))));
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Null(Codec.Decode(Base64Url.EncodeToString(flipped)));
        }
    }

    [Fact]
    public void AnyChangedCharacter_IsRefused() =>
        Check.One(Many, Prop.ForAll(
            (from state in States
             from position in Gen.Choose(0, int.MaxValue)
             from replacement in Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. ".ToCharArray())
             select (state, position, replacement)).ToArbitrary(),
            t =>
            {
                var token = Codec.Encode(t.state);
                var at = t.position % token.Length;
                var changed = token[..at] + t.replacement + token[(at + 1)..];
                return changed == token || Codec.Decode(changed) is null;
            }));

    [Fact]
    public void TruncatedOrExtended_IsRefused() =>
        Check.One(Many, Prop.ForAll(
            (from state in States
             from cut in Gen.Choose(0, int.MaxValue)
             from tail in Gen.Elements("A", "AA", "AAAA", "=", "==", "_-")
             select (state, cut, tail)).ToArbitrary(),
            t =>
            {
                var token = Codec.Encode(t.state);
                return Codec.Decode(token[..(t.cut % token.Length)]) is null && Codec.Decode(token + t.tail) is null;
            }));

    [Fact]
    public void AnotherKeysToken_IsRefused() =>
        Check.One(Many, Prop.ForAll(States.ToArbitrary(),
            state => new ConfirmationStateCodec(RandomNumberGenerator.GetBytes(32)).Decode(Codec.Encode(state)) is null));

    [Fact]
    public void Garbage_IsRefused() =>
        Check.One(Many, Prop.ForAll(Text.ToArbitrary(), text => Codec.Decode(text) is null));

    [Fact]
    public void RequestDigest_DiffersWhenAnyFieldDiffers() =>
        Check.One(Many, Prop.ForAll(
            (from fields in Gen.ArrayOf(Text, 5)
             from which in Gen.Choose(0, 4)
             from other in Text
             where other != fields[which]
             select (fields, which, other)).ToArbitrary(),
            t =>
            {
                var changed = (string[])t.fields.Clone();
                changed[t.which] = t.other;
                return Digest(t.fields) != Digest(changed);
            }));

    [Fact]
    public void RequestDigest_FieldBoundariesAndAbsence_Count()
    {
        Assert.NotEqual(Codec.RequestDigest("dev", "p", "ab", "c", null), Codec.RequestDigest("dev", "p", "a", "bc", null));
        Assert.NotEqual(Codec.RequestDigest("dev", "p", "demo", "hi", null), Codec.RequestDigest("dev", "p", "demo", "hi", ""));
        Assert.Equal(Codec.RequestDigest("dev", "p", "demo", "hi", "k"), Codec.RequestDigest("dev", "p", "demo", "hi", "k"));
        Assert.NotEqual(Codec.RequestDigest("dev", "p", "demo", "hi", "k"), new ConfirmationStateCodec(RandomNumberGenerator.GetBytes(32)).RequestDigest("dev", "p", "demo", "hi", "k"));
    }

    [Fact]
    public void ShortKey_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfirmationStateCodec(new byte[31]));

    private static string Digest(string[] f) => Codec.RequestDigest(f[0], f[1], f[2], f[3], f[4]);
}
