using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SmsMcp.Core.Tests.Layering;

/// <summary>
/// The feature graph as the compiled assembly draws it, whatever the usings say: base types, interfaces, generic
/// constraints, field, property and method signatures, attributes, and in method bodies the locals, catch clauses and
/// every type, field and method token. Nested types (lambdas, async state machines) count for the type that declares them.
/// </summary>
internal static class MetadataDependencies
{
    // Operand layout of every IL opcode, keyed by its one- or two-byte value.
    private static readonly Dictionary<int, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (int)(ushort)o.Value, o => o.OperandType);

    public static NamespaceGraph Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var graph = new NamespaceGraph();
        foreach (var handle in md.TypeDefinitions)
        {
            if (FeatureOf(md, handle) is not { } from)
            {
                continue;
            }

            var used = new UsedTypes(md);
            var type = md.GetTypeDefinition(handle);
            used.Add(type.BaseType);
            used.AddAttributes(type.GetCustomAttributes());
            foreach (var i in type.GetInterfaceImplementations())
            {
                used.Add(md.GetInterfaceImplementation(i).Interface);
            }

            foreach (var p in type.GetGenericParameters())
            {
                foreach (var c in md.GetGenericParameter(p).GetConstraints())
                {
                    used.Add(md.GetGenericParameterConstraint(c).Type);
                }
            }

            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                field.DecodeSignature(used, null);
                used.AddAttributes(field.GetCustomAttributes());
            }

            foreach (var p in type.GetProperties())
            {
                md.GetPropertyDefinition(p).DecodeSignature(used, null);
            }

            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                method.DecodeSignature(used, null);
                used.AddAttributes(method.GetCustomAttributes());
                if (method.RelativeVirtualAddress != 0)
                {
                    used.AddBody(pe.GetMethodBody(method.RelativeVirtualAddress));
                }
            }

            foreach (var target in used.Types)
            {
                if (FeatureOf(md, target) is { } to)
                {
                    graph.Add(from, to, $"{Name(md, handle)} uses {Name(md, target)}");
                }
            }
        }

        return graph;
    }

    private static TypeDefinition Outermost(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil)
        {
            type = md.GetTypeDefinition(type.GetDeclaringType());
        }

        return type;
    }

    private static string? FeatureOf(MetadataReader md, TypeDefinitionHandle handle) =>
        NamespaceGraph.FeatureOf(md.GetString(Outermost(md, handle).Namespace));

    private static string Name(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = Outermost(md, handle);
        return md.GetString(type.Namespace) + "." + md.GetString(type.Name);
    }

    /// <summary>Collects the assembly's own types a signature or a method body mentions.</summary>
    private sealed class UsedTypes(MetadataReader md) : ISignatureTypeProvider<int, object?>
    {
        public HashSet<TypeDefinitionHandle> Types { get; } = [];

        public void Add(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Types.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    Types.Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MethodDefinition:
                    Types.Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent);
                    break;
                case HandleKind.MethodSpecification:
                    var generic = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(generic.Method);
                    generic.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                    {
                        signature.DecodeLocalSignature(this, null);
                    }
                    else
                    {
                        signature.DecodeMethodSignature(this, null);
                    }

                    break;
            }
        }

        public void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                Add(md.GetCustomAttribute(a).Constructor);
            }
        }

        public void AddBody(MethodBodyBlock body)
        {
            Add(body.LocalSignature);
            foreach (var region in body.ExceptionRegions)
            {
                Add(region.CatchType);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                int code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = 0xFE00 | il.ReadByte();
                }

                switch (Operands[code])
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType or OperandType.InlineSig:
                        Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    default: // InlineBrTarget, InlineI, InlineString, ShortInlineR
                        il.Offset += 4;
                        break;
                }
            }
        }

        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Types.Add(handle);
            return 0;
        }

        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPinnedType(int elementType) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
    }
}
