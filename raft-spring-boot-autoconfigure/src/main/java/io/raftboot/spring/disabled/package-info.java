/**
 * What {@code raft.enabled=false} leaves in the context: a {@link
 * io.raftboot.spring.leadership.LeadershipService} that never leads and a {@link
 * io.raftboot.spring.config.ReplicatedConfig} that is empty and refuses writes, so beans that
 * inject them still start, and {@code @LeaderOnly} methods are skipped rather than run on every
 * replica.
 */
package io.raftboot.spring.disabled;
