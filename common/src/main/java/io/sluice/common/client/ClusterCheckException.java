package io.sluice.common.client;

/** {@link ClusterCheck} could not reach or log in to the cluster; the message says where and how, without credentials. */
public final class ClusterCheckException extends RuntimeException {

    public ClusterCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
