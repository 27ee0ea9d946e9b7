using System.Text;

namespace ResticManager.UnitTests.WindowsInstall;

/// <summary>
/// Just enough of PowerShell's lexer to check a script where PowerShell is not installed: the code with
/// comments and string contents blanked out (so a brace in a message does not count), and whether its
/// braces, parentheses and brackets pair up.
/// </summary>
static class PowerShellSource
{
    /// <summary>The script with comments removed and the inside of every string replaced by spaces; line breaks kept.</summary>
    public static string CodeOnly(string script)
    {
        var code = new StringBuilder(script.Length);
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '<' && At(script, i, "<#"))
            {
                var end = script.IndexOf("#>", i + 2, StringComparison.Ordinal);
                i = end < 0 ? script.Length : end + 2;
            }
            else if (c == '#')
            {
                while (i < script.Length && script[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '\'' or '"')
            {
                code.Append(c);
                i++;
                while (i < script.Length && script[i] != c)
                {
                    // A backtick escapes the next character in a double-quoted string; '' is a quote in a single-quoted one.
                    if (c == '"' && script[i] == '`')
                    {
                        code.Append(' ');
                        i++;
                    }

                    // ('' inside a single-quoted string reads as two adjacent strings here: the same blanks.)
                    code.Append(script[i] == '\n' ? '\n' : ' ');
                    i++;
                }

                if (i < script.Length)
                {
                    code.Append(c);
                    i++;
                }
            }
            else
            {
                code.Append(c);
                i++;
            }
        }

        return code.ToString();
    }

    /// <summary>Null when every opener in the code has its closer, else where it first goes wrong.</summary>
    public static string? UnbalancedAt(string code)
    {
        var open = new Stack<(char Closer, int Line)>();
        var line = 1;
        foreach (var c in code)
        {
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '{':
                    open.Push(('}', line));
                    break;
                case '(':
                    open.Push((')', line));
                    break;
                case '[':
                    open.Push((']', line));
                    break;
                case '}' or ')' or ']':
                    if (open.Count == 0 || open.Pop().Closer != c)
                    {
                        return $"unexpected '{c}' on line {line}";
                    }

                    break;
            }
        }

        return open.Count == 0 ? null : $"'{open.Peek().Closer}' missing for the opener on line {open.Peek().Line}";
    }

    static bool At(string text, int index, string what) => string.CompareOrdinal(text, index, what, 0, what.Length) == 0;
}
