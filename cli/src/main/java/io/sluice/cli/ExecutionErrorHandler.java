package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A command that throws prints one line, {@code sluice <command>: <message>: <cause> (<root cause type>)},
 * and exits 1. With {@code --verbose} the stack trace comes first.
 */
final class ExecutionErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult fullParseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = isVerbose(fullParseResult);
        if (verbose) {
            ex.printStackTrace(err);
        }
        String hint = verbose ? "" : " (--verbose shows the stack trace)";
        err.println(commandLine.getColorScheme().errorText(
                commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex) + hint));
        err.flush();
        return commandLine.getExitCodeExceptionMapper() != null
                ? commandLine.getExitCodeExceptionMapper().getExitCode(ex)
                : commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** The messages of the cause chain, each once, then the type of the root cause. */
    static String describe(Throwable ex) {
        List<String> parts = new ArrayList<>();
        Throwable root = ex;
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            String message = t.getMessage() == null ? ""
                    : t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ").replaceFirst("\\.$", "");
            if (!message.isEmpty() && parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        String type = root.getClass().getSimpleName();
        return parts.isEmpty() ? type : String.join(": ", parts) + " (" + type + ")";
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
