package io.sluice.stack;

import io.sluice.common.redact.Redaction;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * A PostgreSQL server and the database to use on it.
 *
 * @param jdbcUrl  e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}, without credentials
 * @param user     role to connect as
 * @param password password, empty for trust auth
 */
public record PostgresEndpoint(String jdbcUrl, String user, String password) {

    public PostgresEndpoint {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + Redaction.url(jdbcUrl));
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The same server, another database. */
    public PostgresEndpoint withDatabase(String database) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new PostgresEndpoint("jdbc:postgresql://" + uri.getRawAuthority() + "/" + database + query, user, password);
    }

    /** The database name in the URL. */
    public String database() {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return uri.getPath().replaceFirst("^/", "");
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!user.isEmpty()) props.setProperty("user", user);
        if (!password.isEmpty()) props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** The URL with the credentials as parameters, for tools that take one string. */
    public String jdbcUrlWithCredentials() {
        StringBuilder sb = new StringBuilder(jdbcUrl);
        char sep = jdbcUrl.contains("?") ? '&' : '?';
        if (!user.isEmpty()) { sb.append(sep).append("user=").append(user); sep = '&'; }
        if (!password.isEmpty()) sb.append(sep).append("password=").append(password);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[jdbcUrl=" + Redaction.url(jdbcUrl) + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : Redaction.HIDDEN) + "]";
    }
}
