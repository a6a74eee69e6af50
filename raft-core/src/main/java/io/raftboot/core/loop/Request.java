package io.raftboot.core.loop;

import io.raftboot.core.node.MembershipChange;
import io.raftboot.core.node.RoleCandidacy;
import java.util.concurrent.CompletableFuture;

/** A client request queued for the loop thread; its future is its answer. */
sealed interface Request {

    CompletableFuture<?> future();

    record Propose(byte[] command, CompletableFuture<Object> future) implements Request {}

    record Read(CompletableFuture<Long> future) implements Request {}

    record Transfer(String target, CompletableFuture<String> future) implements Request {}

    record ChangeMembership(MembershipChange change, CompletableFuture<Object> future) implements Request {}

    record StepDown(CompletableFuture<String> future) implements Request {}

    record MoveRole(String role, String target, CompletableFuture<Void> future) implements Request {}

    record AllowCampaigns(boolean allowed, CompletableFuture<Void> future) implements Request {}

    record OfferRoles(RoleCandidacy candidacy, CompletableFuture<Void> future) implements Request {}
}
