package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.spring.actuator.RaftEndpoint;
import io.raftboot.spring.actuator.RaftInfoContributor;
import io.raftboot.spring.actuator.RaftStatusView;
import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.annotation.OnLeader;
import io.raftboot.spring.annotation.OnLeaderRevoked;
import io.raftboot.spring.cluster.RaftConfigurationException;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.RoleGrantedEvent;
import io.raftboot.spring.leadership.RoleRevokedEvent;
import io.raftboot.spring.metrics.RoleMetrics;
import io.raftboot.spring.roles.RoleOffers;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;

/**
 * Named roles (issue 16) on a real single-node loop: the roles it offers once ready are granted
 * to it, annotations follow them, readiness and shutdown withdraw them, and bad role settings
 * fail the start.
 */
class NamedRolesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    static Path data;

    /** A one-node cluster, as in RaftAutoConfigurationTest. */
    static ApplicationContextRunner node() {
        return node(data);
    }

    /** A one-node cluster whose data directory is a new one under {@code dataRoot}. */
    static ApplicationContextRunner node(Path dataRoot) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RaftAutoConfiguration.class,
                        RaftDisabledAutoConfiguration.class,
                        RaftActuatorAutoConfiguration.class,
                        RaftMetricsAutoConfiguration.class,
                        RaftIntegrationAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + dataRoot.resolve("n" + System.nanoTime()),
                        "management.endpoints.web.exposure.include=raft");
    }

    static ApplicationContextRunner runner() {
        return node().withPropertyValues("raft.roles.billing.weight=2", "raft.roles.audit.excluded-nodes=n2,n1")
                .withUserConfiguration(Jobs.class, ClassRole.class, Recorder.class, IntegrationRecorder.class);
    }

    static void ready(AssertableApplicationContext ctx, boolean accepting) {
        AvailabilityChangeEvent.publish(
                ctx, accepting ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC);
    }

    @Test
    void aReadySingleNodeHoldsEveryRoleItOffersWithAPositiveToken() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing") && leadership.isLeader("reports"));
            RoleLease lease = leadership.roleLease("billing").orElseThrow();
            assertThat(lease.fencingToken()).isPositive();
            assertThat(lease.remaining()).isPositive();
            assertThat(leadership.roleAssignments()).containsKeys("billing", "reports");
            assertThat(leadership.roleAssignments().get("billing").holder()).isEqualTo("n1");
            assertThat(ctx.getBean(RoleOffers.class).roles())
                    .as("configured billing with its weight, reports from @LeaderOnly, granted from @OnLeader")
                    .containsEntry("billing", 2)
                    .containsEntry("reports", 1)
                    .containsKey("granted");
        });
    }

    @Test
    void aRoleWhoseExcludedNodesNameThisNodeIsNeitherOfferedNorHeld() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
            assertThat(ctx.getBean(RoleOffers.class).roles()).doesNotContainKey("audit");
            assertThat(leadership.isLeader("audit")).isFalse();
            assertThat(leadership.roleAssignments()).doesNotContainKey("audit");
            Jobs jobs = ctx.getBean(Jobs.class);
            assertThat(jobs.audit())
                    .as("a @LeaderOnly(role = \"audit\") call on a node that never holds it")
                    .isNull();
            assertThat(ctx.getBean(LeaderOnlySkips.class).count()).isPositive();
        });
    }

    @Test
    void leaderOnlyWithARoleRunsOnTheHolderAndIsSkippedElsewhere() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            Jobs jobs = ctx.getBean(Jobs.class);
            await().atMost(DEADLINE).until(leadership::isLeader);
            assertThat(jobs.reports())
                    .as("the Raft leader does not hold role reports before the application is ready")
                    .isNull();
            assertThat(jobs.leader())
                    .as("the unnamed role is the Raft leader's, as before")
                    .isEqualTo("leader");
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("reports"));
            assertThat(jobs.reports()).isEqualTo("reports");
            assertThat(ctx.getBean(ClassRole.class).run())
                    .as("a class-level role")
                    .isEqualTo("billing-class");
        });
    }

    @Test
    void noRoleIsHeldBeforeTheApplicationAcceptsTraffic() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(DEADLINE).until(leadership::isLeader);
            await().during(Duration.ofMillis(500))
                    .atMost(DEADLINE)
                    .until(() -> !leadership.isLeader("billing")
                            && leadership.roleAssignments().isEmpty());
        });
    }

    @Test
    void withoutRequiredReadinessTheRolesAreOfferedAtStart() {
        runner().withPropertyValues("raft.availability.require-readiness=false").run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
        });
    }

    @Test
    void onLeaderAndOnLeaderRevokedWithARoleAreCalledForThatRoleOnly() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            Recorder recorder = ctx.getBean(Recorder.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("granted"));
            await().atMost(DEADLINE).until(() -> recorder.granted.size() == 1);
            long token = leadership.roleLease("granted").orElseThrow().token();
            assertThat(recorder.granted.get(0).getToken()).isEqualTo(token);
            assertThat(recorder.granted.get(0).getRole()).isEqualTo("granted");
            await().atMost(DEADLINE).until(() -> recorder.leadership.size() == 1);
            assertThat(recorder.leadership)
                    .as("the unnamed @OnLeader was called for Raft leadership, not for a role")
                    .containsExactly("leader");
            ready(ctx, false);
            await().atMost(DEADLINE).until(() -> recorder.revoked.size() == 1);
            assertThat(recorder.revoked.get(0).getToken()).isEqualTo(token);
        });
    }

    @Test
    void refusingTrafficWithdrawsTheRolesAtOnceAndANewGrantHasAHigherToken() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
            long first = leadership.roleLease("billing").orElseThrow().token();
            ready(ctx, false);
            assertThat(leadership.isLeader("billing"))
                    .as("held right after REFUSING_TRAFFIC was published")
                    .isFalse();
            assertThat(leadership.isLeader())
                    .as("Raft leadership does not follow readiness")
                    .isTrue();
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
            assertThat(leadership.roleLease("billing").orElseThrow().token()).isGreaterThan(first);
        });
    }

    @Test
    void aShutdownWithdrawsTheRolesUntilNoneIsAssignedHere() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
            long start = System.nanoTime();
            boolean moved = ctx.getBean(RoleOffers.class).withdrawAndWait(Duration.ofSeconds(2));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(moved).as("withdrawn within 2 s (took %d ms)", millis).isTrue();
            assertThat(leadership.roleAssignments()).isEmpty();
            assertThat(leadership.isLeader("billing")).isFalse();
        });
    }

    @Test
    void theEndpointTheInfoAndTheMetersShowTheRoles() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ctx.getBean(RoleMetrics.class).bindTo(registry);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing") && leadership.isLeader("reports"));
            RaftStatusView status = ctx.getBean(RaftEndpoint.class).status();
            RaftStatusView.NamedRole billing = status.roles().stream()
                    .filter(r -> r.name().equals("billing"))
                    .findFirst()
                    .orElseThrow();
            assertThat(billing.holder()).isEqualTo("n1");
            assertThat(billing.token()).isPositive();
            assertThat(billing.heldHere()).isTrue();
            assertThat(billing.leaseValidForMillis()).isPositive();
            Info.Builder info = new Info.Builder();
            ctx.getBean(RaftInfoContributor.class).contribute(info);
            @SuppressWarnings("unchecked")
            Map<String, Object> raft =
                    (Map<String, Object>) info.build().getDetails().get("raft");
            assertThat((List<Object>) raft.get("roles")).contains("billing", "reports");
            int offered = ctx.getBean(RoleOffers.class).roles().size();
            await().atMost(DEADLINE)
                    .until(() -> registry.get("raft.roles.held").gauge().value() == offered);
            await().atMost(DEADLINE)
                    .until(() -> registry.find("raft.roles.changes")
                                    .tags("role", "billing", "change", "granted")
                                    .counter()
                            != null);
            assertThat(registry.get("raft.roles.changes")
                            .tags("role", "billing", "change", "granted")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void theEndpointMovesARoleOnlyToAMemberThatOffersIt() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
            RaftEndpoint endpoint = ctx.getBean(RaftEndpoint.class);

            Map<String, Object> toItself = endpoint.membership("move-role", "n1", null, "billing");
            Map<String, Object> toStranger = endpoint.membership("move-role", "n9", null, "billing");
            Map<String, Object> noRole = endpoint.membership("move-role", "n1", null, null);

            assertThat(toItself).containsEntry("ok", true).containsKey("token");
            assertThat(toStranger).containsEntry("ok", false);
            assertThat((String) toStranger.get("error")).contains("not a member");
            assertThat(noRole).containsEntry("ok", false);
            assertThat(leadership.isLeader("billing")).isTrue();
        });
    }

    @Test
    void springIntegrationHearsOfEachRoleAndYieldMovesItAway() {
        runner().run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            IntegrationRecorder recorder = ctx.getBean(IntegrationRecorder.class);
            ready(ctx, true);
            await().atMost(DEADLINE).until(() -> recorder.grantedRoles().contains("billing"));
            OnGrantedEvent billing = (OnGrantedEvent) recorder.events.stream()
                    .filter(e -> e instanceof OnGrantedEvent && "billing".equals(e.getRole()))
                    .findFirst()
                    .orElseThrow();
            assertThat(billing.getContext().getRole()).isEqualTo("billing");
            assertThat(billing.getContext().isLeader()).isTrue();
            billing.getContext().yield();
            await().atMost(DEADLINE).until(() -> !leadership.isLeader("billing"));
            assertThat(leadership.isLeader("reports"))
                    .as("the other roles stay")
                    .isTrue();
            // No other node offers billing: it comes back after the pause.
            await().atMost(DEADLINE).until(() -> leadership.isLeader("billing"));
        });
    }

    @Test
    void aWeightBelowOneFailsTheStartAndNamesTheProperty() {
        node().withPropertyValues("raft.roles.billing.weight=0").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(RaftConfigurationException.class)
                    .hasMessageContaining("raft.roles.billing.weight");
        });
    }

    @Test
    void aRoleNameTooLongFailsTheStart() {
        node().withPropertyValues("raft.roles." + "r".repeat(129) + ".weight=1")
                .run(ctx -> assertThat(ctx.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(RaftConfigurationException.class)
                        .hasMessageContaining("1 to 128 characters"));
    }

    @Test
    void anAnnotatedRoleNameTooLongFailsTheStartAndNamesTheMethod() {
        node().withUserConfiguration(TooLong.class)
                .run(ctx -> assertThat(ctx.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(RaftConfigurationException.class)
                        .hasMessageContaining("@LeaderOnly(role) on")
                        .hasMessageContaining("TooLong.job"));
    }

    @Test
    void withRaftOffNoRoleIsEverHeld() {
        runner().withPropertyValues("raft.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            assertThat(leadership.isLeader("billing")).isFalse();
            assertThat(leadership.roleLease("billing")).isEmpty();
            assertThat(leadership.roleAssignments()).isEmpty();
            assertThat(ctx.getBean(Jobs.class).reports()).isNull();
        });
    }

    /** Leader-only jobs on roles; a call that got through returns its name. */
    public static class Jobs {

        @LeaderOnly(role = "reports")
        public String reports() {
            return "reports";
        }

        @LeaderOnly(role = "audit")
        public String audit() {
            return "audit";
        }

        @LeaderOnly
        public String leader() {
            return "leader";
        }
    }

    /** A class-level role. */
    @LeaderOnly(role = "billing")
    public static class ClassRole {
        public String run() {
            return "billing-class";
        }
    }

    public static class Recorder {
        final List<RoleGrantedEvent> granted = new CopyOnWriteArrayList<>();
        final List<RoleRevokedEvent> revoked = new CopyOnWriteArrayList<>();
        final List<String> leadership = new CopyOnWriteArrayList<>();

        @OnLeader(role = "granted")
        public void onGranted(RoleGrantedEvent event) {
            granted.add(event);
        }

        @OnLeaderRevoked(role = "granted")
        public void onRevoked(RoleRevokedEvent event) {
            revoked.add(event);
        }

        @OnLeader
        public void onLeader() {
            leadership.add("leader");
        }
    }

    public static class IntegrationRecorder implements ApplicationListener<AbstractLeaderEvent> {
        final List<AbstractLeaderEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(AbstractLeaderEvent event) {
            events.add(event);
        }

        List<String> grantedRoles() {
            return events.stream()
                    .filter(e -> e instanceof OnGrantedEvent)
                    .map(AbstractLeaderEvent::getRole)
                    .toList();
        }
    }

    public static class TooLong {
        @LeaderOnly(
                role = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                        + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
        public void job() {}
    }
}
