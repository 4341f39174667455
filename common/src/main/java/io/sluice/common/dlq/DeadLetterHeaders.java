package io.sluice.common.dlq;

/**
 * The dead-letter headers of one record, parsed ({@link DeadLetter#read}).
 *
 * @param sourceTopic  the topic the record was consumed from, where a replay sends it
 * @param partition    its partition there
 * @param offset       its offset there
 * @param stage        the stage that dead-lettered it
 * @param reason       why ({@link DeadLetterReason#code()})
 * @param errorClass   the failure's class name
 * @param errorMessage the failure's message, at most {@value DeadLetter#MAX_MESSAGE_BYTES} bytes
 */
public record DeadLetterHeaders(String sourceTopic, int partition, long offset, String stage, String reason,
                                String errorClass, String errorMessage) {
}
