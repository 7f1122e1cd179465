using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// What objects cost on nanoCLR's managed heap, from nanoframework/nf-interpreter: every heap block is a
    /// 12-byte CLR_RT_HeapBlock (CT_ASSERT in src/CLR/Include/nanoCLR_Runtime.h); an object takes one block per
    /// instance field plus one (Execution.cpp NewObject, HB_Object_Fields_Offset = 1); an array a 20-byte
    /// CLR_RT_HeapBlock_Array header plus its elements, 12 bytes per reference (TypeSystemLookup.cpp DT_BL), rounded
    /// up to whole blocks (ExtractHeapBlocksForArray); a string a 12-byte header plus its UTF-8 bytes and a NUL,
    /// rounded up (CLR_RT_HeapBlock_String::CreateInstance). Text bounded in characters counts 2 bytes a character
    /// (ASCII takes 1, other scripts up to 3); text bounded in bytes (a server frame, a flash slot) its bytes.
    /// </summary>
    public static class NanoHeap
    {
        public const int Block = 12;
        private const int ArrayHeader = 20;

        public static int Blocks(int bytes) => (bytes + Block - 1) / Block * Block;

        public static int Object(int fields) => Block * (fields + 1);

        public static int Array(int length, int elementBytes) => Blocks(ArrayHeader + length * elementBytes);

        public static int References(int length) => Array(length, Block);

        public static int Utf8String(int bytes) => Blocks(Block + bytes + 1);

        public static int CharString(int chars) => Utf8String(2 * chars);

        /// <summary>
        /// Everything reachable from <paramref name="root"/> that is not in <paramref name="counted"/> yet (which
        /// then holds it): what <paramref name="root"/> adds beside objects counted before (shared strings, say).
        /// </summary>
        public static int Graph(object root, HashSet<object> counted)
        {
            if (root == null || !counted.Add(root))
            {
                return 0;
            }

            switch (root)
            {
                case string text:
                    return CharString(text.Length);
                case System.Array array:
                    Type element = array.GetType().GetElementType();
                    if (element.IsPrimitive || element.IsEnum)
                    {
                        return Array(array.Length, PrimitiveBytes(element.IsEnum ? Enum.GetUnderlyingType(element) : element));
                    }

                    return References(array.Length) + array.Cast<object>().Sum(item => Graph(item, counted));
                default:
                    FieldInfo[] fields = InstanceFields(root.GetType());
                    return Object(fields.Length) + fields.Where(f => !f.FieldType.IsValueType).Sum(f => Graph(f.GetValue(root), counted));
            }
        }

        /// <summary>A set that counts each object once, by identity.</summary>
        public static HashSet<object> Counted() => new HashSet<object>(ReferenceEqualityComparer.Instance);

        private static FieldInfo[] InstanceFields(Type type)
        {
            var fields = new List<FieldInfo>();
            for (Type t = type; t != null && t != typeof(object); t = t.BaseType)
            {
                fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            }

            return fields.ToArray();
        }

        private static int PrimitiveBytes(Type type) => Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
            TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
            TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Single => 4,
            _ => 8,
        };
    }
}
