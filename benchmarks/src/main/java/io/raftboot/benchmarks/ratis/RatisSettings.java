package io.raftboot.benchmarks.ratis;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis configuration used everywhere in the comparison, matched to ours where Ratis has the
 * knob (RaftServerConfigKeys, per ratis-docs configurations.md):
 * <ul>
 *   <li>election timeout: {@code raft.server.rpc.timeout.min/max} = 300/600 ms, like our random
 *       [T, 2T) with T = 300 ms; the first election uses the same range;</li>
 *   <li>heartbeat: Ratis has no separate setting: its log appender sends a heartbeat when
 *       timeout.min / 2 = 150 ms passed without a response (ours: 50 ms);</li>
 *   <li>pre-vote on (Ratis' default, like ours); leader lease on (ours has one), ratio 0.9 (default);</li>
 *   <li>durability: log flushed and synced before acknowledging ({@code raft.server.log.unsafe-flush.enabled}
 *       = false and {@code async-flush.enabled} = false, the defaults), batched like our group commit
 *       ({@code force.sync.num} 128, the default);</li>
 *   <li>everything else at Ratis' defaults.</li>
 * </ul>
 */
public final class RatisSettings {

    public static final int TIMEOUT_MIN_MS = 300;
    public static final int TIMEOUT_MAX_MS = 600;

    private RatisSettings() {}

    public static RaftProperties properties(File storageDir) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
        TimeDuration min = TimeDuration.valueOf(TIMEOUT_MIN_MS, TimeUnit.MILLISECONDS);
        TimeDuration max = TimeDuration.valueOf(TIMEOUT_MAX_MS, TimeUnit.MILLISECONDS);
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, min);
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, max);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, min);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, max);
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        return p;
    }

    public static String describe() {
        return "raft.server.rpc.timeout.min/max 300/600ms (first-election the same), heartbeat = timeout.min/2 = 150ms"
                + " (not separately configurable), pre-vote on, leader lease on (ratio 0.9), log.unsafe-flush off,"
                + " log.async-flush off (sync flush before ack, force.sync.num 128), gRPC transport, other keys default";
    }
}
