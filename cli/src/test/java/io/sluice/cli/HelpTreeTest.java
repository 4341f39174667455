package io.sluice.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code <command> --help} and {@code -h} on every command of the tree, found by walking it, not listed by hand. */
class HelpTreeTest {

    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelp() {
        List<List<String>> paths = commandPaths(Sluice.commandLine());
        assertThat(paths).as("the tree has its nested commands").contains(
                List.of("stack"), List.of("dcb-api"), List.of("bench", "dcb"), List.of("connect", "register"));
        return paths.stream().flatMap(path -> Stream.of("--help", "-h").map(flag -> DynamicTest.dynamicTest(
                String.join(" ", path) + " " + flag, () -> assertHelp(path, flag))));
    }

    @Test
    void theWalkFindsEveryCommandOnce() {
        List<List<String>> paths = commandPaths(Sluice.commandLine());
        assertThat(paths).doesNotHaveDuplicates().hasSizeGreaterThan(20);
    }

    @Test
    void everyCommandOfWhichSeveralInstancesShareTheWorkTakesAnInstanceId() {
        CommandLine root = Sluice.commandLine();
        for (String name : List.of("fetcher", "records-sink", "resolver", "ratelimiter", "flattener", "etl-sink", "dcb-api")) {
            assertThat(root.getSubcommands().get(name).getCommandSpec().findOption("--instance-id")).as(name).isNotNull();
        }
    }

    private static void assertHelp(List<String> path, String flag) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));

        String name = path.isEmpty() ? "sluice" : "sluice " + String.join(" ", path);
        assertThat(exit).as("%s %s exit; stderr: %s", name, flag, err).isZero();
        assertThat(out.toString()).as("%s %s", name, flag).contains("Usage: " + name).contains("--help");
        assertThat(err.toString()).as("%s %s stderr", name, flag).doesNotContain("Unknown option").isEmpty();
    }

    /** Every command's path from the root (the root itself as the empty path), aliases once. */
    private static List<List<String>> commandPaths(CommandLine root) {
        List<List<String>> paths = new ArrayList<>();
        walk(root, List.of(), paths);
        return paths;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        Set<CommandLine> seen = new LinkedHashSet<>();
        command.getSubcommands().forEach((name, sub) -> {
            if (seen.add(sub)) {
                List<String> child = new ArrayList<>(path);
                child.add(name);
                walk(sub, List.copyOf(child), paths);
            }
        });
    }
}
