/// The command that starts a ventilator again for the same job, as a shell line a person can paste: the same
/// arguments, with the job id and the task endpoint actually bound made explicit (a random id or a `*` port
/// would otherwise start a different job, or one its workers cannot find).
public enum ResumeCommand {
    public static func line(arguments: [String], jobID: UInt64, tasksEndpoint: String) -> String {
        var kept: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--job-id" || argument == "--tasks" {
                index += 1  // and its value
            } else if !argument.hasPrefix("--job-id=") && !argument.hasPrefix("--tasks=") && argument != "--dry-run" {
                kept.append(argument)
            }
        }
        kept += ["--tasks", tasksEndpoint, "--job-id", String(jobID)]
        return kept.map(shellQuoted).joined(separator: " ")
    }

    /// `word` as the shell reads it back: unchanged when it holds only safe characters, else single-quoted.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
