/// Splits a command line into a program and its arguments, as a POSIX shell would split simple words: spaces
/// separate words; `'...'` and `"..."` quote (a backslash escapes `"` and `\` inside double quotes); a backslash
/// escapes the next character outside quotes. No variables, globs, pipes or redirections: for those, run
/// `sh -c '...'` as the command.
public enum CommandWords {
    /// Why a command line cannot be split.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public static func split(_ line: String) throws(Problem) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                word.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            default:
                word.append(character)
                inWord = true
            }
        }
        if quote != nil { throw Problem(description: "an unclosed \(quote.map(String.init) ?? "") quote") }
        if escaped { throw Problem(description: "a backslash at the end") }
        if inWord { words.append(word) }
        guard !words.isEmpty else { throw Problem(description: "no program to run") }
        return words
    }
}
