package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.annotation.OnLeader;
import io.raftboot.spring.annotation.OnLeaderRevoked;
import io.raftboot.spring.integration.RaftLeaderContext;
import io.raftboot.spring.leadership.LeaderChangedEvent;
import io.raftboot.spring.leadership.LeadershipGrantedEvent;
import io.raftboot.spring.leadership.LeadershipListener;
import io.raftboot.spring.leadership.LeadershipRevokedEvent;
import io.raftboot.spring.leadership.LeadershipService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Leadership events, annotated methods, listener callbacks, Spring Integration events and
 * {@code @LeaderOnly} on three nodes: each fires exactly on the transitions.
 */
class LeadershipEventsIT {

    /** What a grant produces on the new leader (the first element is the LeaderChangedEvent just before). */
    private static final String[] GRANTED_SIGNALS = {"granted", "@OnLeader", "si-granted:raft", "listener-granted"};

    private static final String[] REVOKED_SIGNALS = {
        "revoked", "@OnLeaderRevoked", "si-revoked:raft", "listener-revoked"
    };

    @TempDir
    Path data;

    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableScheduling
    static class App {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        ScheduledJob scheduledJob() {
            return new ScheduledJob();
        }
    }

    /** Records every leadership signal, in the order delivered. */
    static class Recorder implements LeadershipListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Boolean> isLeaderWhenGranted = new CopyOnWriteArrayList<>();

        @Autowired
        LeadershipService leadership;

        @EventListener
        void granted(LeadershipGrantedEvent e) {
            isLeaderWhenGranted.add(leadership.isLeader());
            events.add("granted");
        }

        @EventListener
        void revoked(LeadershipRevokedEvent e) {
            events.add("revoked");
        }

        @EventListener
        void leaderChanged(LeaderChangedEvent e) {
            events.add("leader:" + e.getLeaderId());
        }

        @OnLeader
        void onLeader() {
            events.add("@OnLeader");
        }

        @OnLeaderRevoked
        void onLeaderRevoked(LeadershipRevokedEvent e) {
            events.add("@OnLeaderRevoked");
        }

        @Override
        public void onLeadershipGranted(long term) {
            events.add("listener-granted");
        }

        @Override
        public void onLeadershipRevoked(long term) {
            events.add("listener-revoked");
        }

        @EventListener
        void integrationGranted(OnGrantedEvent e) {
            events.add("si-granted:" + e.getRole());
        }

        @EventListener
        void integrationRevoked(OnRevokedEvent e) {
            events.add("si-revoked:" + e.getRole());
        }

        long count(String event) {
            return events.stream().filter(event::equals).count();
        }
    }

    /** A job meant for one replica only. */
    static class ScheduledJob {
        private final AtomicInteger runs = new AtomicInteger();

        /** Through the proxy (a CGLIB proxy's own fields are not the target's). */
        public int runs() {
            return runs.get();
        }

        @LeaderOnly
        @Scheduled(fixedDelay = 20)
        public void run() {
            runs.incrementAndGet();
        }
    }

    @Test
    void eventsAnnotatedMethodsAndListenersFireExactlyOnTheTransitions() throws Exception {
        // A lease of ~0.9 s, so a busy test JVM does not let it lapse between heartbeats.
        cluster = new RaftTestCluster(3, data, App.class)
                .with("raft.election-timeout", "1s")
                .with("raft.heartbeat-interval", "100ms")
                .startAll();
        String first = cluster.awaitAgreedLeader(Duration.ofSeconds(15));
        String second = cluster.aFollower(first);
        String bystander = cluster.running().stream()
                .filter(id -> !id.equals(first) && !id.equals(second))
                .findFirst()
                .orElseThrow();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(recorder(first).events).startsWith("leader:" + first).hasSize(GRANTED_SIGNALS.length + 1);
            assertThat(recorder(first).events.subList(1, GRANTED_SIGNALS.length + 1))
                    .containsExactlyInAnyOrder(GRANTED_SIGNALS);
            assertThat(recorder(second).events).containsExactly("leader:" + first);
            assertThat(recorder(bystander).events).containsExactly("leader:" + first);
        });
        assertThat(recorder(first).isLeaderWhenGranted).containsExactly(true);

        cluster.leadership(first).transferLeadership(second).get(5, TimeUnit.SECONDS);
        assertThat(cluster.awaitAgreedLeader(Duration.ofSeconds(10))).isEqualTo(second);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            int granted = GRANTED_SIGNALS.length + 1;
            assertThat(recorder(first).events).hasSize(granted + REVOKED_SIGNALS.length + 1);
            assertThat(recorder(first).events.subList(1, granted)).containsExactlyInAnyOrder(GRANTED_SIGNALS);
            assertThat(recorder(first).events.subList(granted, granted + REVOKED_SIGNALS.length))
                    .containsExactlyInAnyOrder(REVOKED_SIGNALS);
            assertThat(recorder(first).events).last().isEqualTo("leader:" + second);
            assertThat(recorder(second).events)
                    .startsWith("leader:" + first, "leader:" + second)
                    .hasSize(GRANTED_SIGNALS.length + 2);
            assertThat(recorder(second).events.subList(2, GRANTED_SIGNALS.length + 2))
                    .containsExactlyInAnyOrder(GRANTED_SIGNALS);
            assertThat(recorder(bystander).events).containsExactly("leader:" + first, "leader:" + second);
        });
        assertThat(recorder(second).isLeaderWhenGranted).containsExactly(true);
        RaftLeaderContext context = cluster.bean(second, RaftLeaderContext.class);
        assertThat(context.isLeader()).isTrue();
        assertThat(context.getRole()).isEqualTo("raft");
    }

    @Test
    void aLeaderOnlyScheduledJobRunsOnlyOnTheLeader() {
        cluster = new RaftTestCluster(3, data, App.class)
                .with("raft.election-timeout", "1s")
                .with("raft.heartbeat-interval", "100ms")
                .startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(15));

        await().atMost(Duration.ofSeconds(5)).until(() -> job(leader).runs() >= 5);
        for (String id : cluster.running()) {
            if (!id.equals(leader)) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> cluster.bean(id, LeaderOnlySkips.class).count() >= 5);
                assertThat(job(id).runs())
                        .as("runs of the job on follower %s", id)
                        .isZero();
            }
        }
    }

    private Recorder recorder(String id) {
        return cluster.bean(id, Recorder.class);
    }

    private ScheduledJob job(String id) {
        return cluster.bean(id, ScheduledJob.class);
    }
}
