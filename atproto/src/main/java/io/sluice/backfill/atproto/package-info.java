/**
 * Pure parsing of atproto repositories, as served by {@code com.atproto.sync.getRepo}: identifier
 * syntax ({@code syntax}), CIDs ({@code cid}), DAG-CBOR and its atproto JSON form ({@code cbor}),
 * CARv1 streams ({@code car}), the store that holds a CAR's blocks within a heap budget and spills
 * the rest to temporary files ({@code store}), the Merkle Search Tree ({@code mst}) and the facade
 * that turns a CAR into records ({@code repo}). No Kafka and no network here: bytes in, values out.
 *
 * <p>Every "the data is wrong" error is an {@link io.sluice.backfill.atproto.AtprotoFormatException}.
 */
package io.sluice.backfill.atproto;
