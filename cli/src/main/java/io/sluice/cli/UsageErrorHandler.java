package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Bad usage (unknown command, unknown option, missing value): what is wrong, the nearest valid
 * spelling when there is one, the commands there are, and where to read more; exit code 2.
 * Unlike picocli's default it does not print the whole usage text after every typo.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(cmd.getColorScheme().errorText(name + ": " + message(ex)));
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (!cmd.getSubcommands().isEmpty()) {
            err.println("Commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ".");
        }
        err.println("Run '" + name + " --help' for usage.");
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null
                ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
                : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched
                && !ex.getCommandLine().getSubcommands().isEmpty()
                && ex.getCommandLine().getCommandSpec().positionalParameters().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "'" + unmatched.getUnmatched().getFirst() + "' is not a "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " command";
        }
        return ex.getMessage();
    }
}
