package io.sluice.schemas.registry;

/**
 * The one root of every error the registry client reports: the registry refused a request, or
 * could not be reached after the retries. Carries what the registry said, so callers can tell an
 * incompatible schema from an outage without parsing the message.
 */
public class SchemaRegistryException extends RuntimeException {

    /** {@link #status()} when no HTTP response was received (connection refused, timeout). */
    public static final int NO_RESPONSE = 0;
    /** {@link #errorCode()} when the response carried no {@code error_code}. */
    public static final int NO_ERROR_CODE = -1;

    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(String message, int status, int errorCode, String registryMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage == null ? "" : registryMessage;
    }

    public SchemaRegistryException(String message, int status, int errorCode, String registryMessage) {
        this(message, status, errorCode, registryMessage, null);
    }

    /** The HTTP status of the registry's answer, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (e.g. 40401 subject not found, 40403 schema not found, 409), or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own {@code message}, empty when it sent none. */
    public String registryMessage() {
        return registryMessage;
    }

    /** True for errors worth retrying later: no response or a 5xx. */
    public boolean isTransient() {
        return status == NO_RESPONSE || status >= 500;
    }
}
