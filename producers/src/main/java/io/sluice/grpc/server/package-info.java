/**
 * What every sluice gRPC service shares on the server side and that belongs to no one workload: flow
 * control for streams a thread of their own produces ({@link io.sluice.grpc.server.GrpcFlowGate}), so
 * the DCB and backfill services depend on it and not on each other.
 */
package io.sluice.grpc.server;
