package io.sluice.cli;

import io.sluice.common.http.HttpAuth;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --auth-token-file} and {@code --auth-metrics}: optional bearer-token authentication of a command's HTTP listener. */
final class HttpAuthOptions {

    @Option(names = "--auth-token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <token>' on every request, the token being FILE's first line "
                    + "(never printed). Default: no authentication.")
    Path tokenFile;

    @Option(names = "--auth-metrics",
            description = "With --auth-token-file, /metrics needs the token too. Default: /metrics is exempt, for scrapers.")
    boolean metrics;

    /** The authentication asked for; a missing, unreadable or empty file is a usage error naming the option. */
    HttpAuth auth(CommandSpec spec) {
        if (tokenFile == null) {
            if (metrics) throw OptionValues.usage(spec, "--auth-metrics", new IllegalArgumentException("needs --auth-token-file"));
            return HttpAuth.none();
        }
        return OptionValues.parse(spec, "--auth-token-file", () -> HttpAuth.fromFile(tokenFile, metrics));
    }
}
