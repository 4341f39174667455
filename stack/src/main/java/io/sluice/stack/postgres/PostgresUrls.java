package io.sluice.stack.postgres;

import io.sluice.common.redact.Redaction;
import io.sluice.stack.PostgresEndpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code SLUICE_PG_URL}: a JDBC URL whose {@code user} and {@code password} may be query parameters. */
public final class PostgresUrls {

    private PostgresUrls() {
    }

    public static PostgresEndpoint parse(String url) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("SLUICE_PG_URL must be a JDBC URL like "
                    + "jdbc:postgresql://host:5432/db?user=u&password=p, got: " + Redaction.url(url));
        }
        int q = url.indexOf('?');
        if (q < 0) return new PostgresEndpoint(url, defaultUser(), "");
        String user = defaultUser();
        String password = "";
        List<String> rest = new ArrayList<>();
        for (String param : url.substring(q + 1).split("&")) {
            if (param.isEmpty()) continue;
            String[] kv = param.split("=", 2);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            switch (kv[0]) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> rest.add(param);
            }
        }
        String base = url.substring(0, q) + (rest.isEmpty() ? "" : "?" + String.join("&", rest));
        return new PostgresEndpoint(base, user, password);
    }

    static String defaultUser() {
        String pgUser = System.getenv("PGUSER");
        return pgUser != null && !pgUser.isBlank() ? pgUser : "postgres";
    }
}
