package io.sluice.backfill.simulator;

/**
 * Requests one virtual host saw in one rate-limit window.
 *
 * @param start      window start, Unix seconds (a multiple of the window length)
 * @param arrivals   every request that arrived
 * @param admitted   requests within the budget (at most the limit)
 * @param violations requests that arrived with the budget already spent, answered 429
 */
public record WindowCount(long start, int arrivals, int admitted, int violations) {
}
