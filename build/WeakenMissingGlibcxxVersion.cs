// MSBuild inline task (see NativeRuntime.targets): marks one libstdc++ version need as weak in
// ELF64 little-endian shared libraries, but only when this machine's libstdc++ lacks that version.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenMissingGlibcxxVersion : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        string? systemLibrary = FindSystemLibStdCxx();
        if (systemLibrary == null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; native libraries left as shipped.");
            return true;
        }
        if (Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{systemLibrary} provides {Version}; nothing to patch.");
            return true;
        }
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                byte[] image = File.ReadAllBytes(path);
                int changed = MarkWeak(image, Version);
                if (changed == 0) continue;
                // Write beside and rename: the output file may be a hard link into the NuGet cache.
                string temporary = path + ".weak-tmp";
                File.WriteAllBytes(temporary, image);
                File.Delete(path);
                File.Move(temporary, path);
                Log.LogMessage(MessageImportance.Normal,
                    $"Marked {Version} weak in {path} ({systemLibrary} lacks it).");
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static string? FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (string candidate in candidates)
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>Sets VER_FLG_WEAK on every vernaux entry named <paramref name="version"/>; returns how many changed.</summary>
    private static int MarkWeak(byte[] elf, string version)
    {
        bool isElf64Le = elf.Length > 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L'
            && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;
        if (!isElf64Le) throw new InvalidDataException("not an ELF64 little-endian file");
        long sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionTable + (long)s * entrySize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            int stringSection = (int)BitConverter.ToUInt32(elf, (int)header + 0x28);
            int needCount = (int)BitConverter.ToUInt32(elf, (int)header + 0x2C);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + (long)stringSection * entrySize) + 0x18);
            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strings + BitConverter.ToUInt32(elf, (int)aux + 8);
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (ReadCString(elf, name) == version && (flags & VerFlagWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return changed;
    }

    private static string ReadCString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
