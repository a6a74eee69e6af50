package io.raftboot.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What a node process records of what was done to it: the lease analysis of the fault test rests on it. */
@EnabledOnOs(OS.LINUX)
class NodeProcessTest {

    /** A process that lives long enough and needs nothing: {@code sleep}. */
    private static final List<String> LONG_LIVED = List.of("sleep", "300");

    @TempDir
    Path dir;

    private NodeProcess node;

    @AfterEach
    void killTheProcess() {
        node.kill();
    }

    @Test
    void aKilledProcessEndsAtAnInstantTakenBeforeTheSignalAndARestartIsANewIncarnation() {
        node = new NodeProcess("n1", 1, 2, dir);
        long beforeStart = System.nanoTime();
        node.start(LONG_LIVED);
        long afterStart = System.nanoTime();
        node.kill();
        long afterKill = System.nanoTime();
        node.start(LONG_LIVED);

        assertThat(node.isAlive()).isTrue();
        assertThat(node.incarnation()).isEqualTo(2);
        List<Incarnation> lives = node.incarnations();
        assertThat(lives).hasSize(2);
        Incarnation first = lives.get(0);
        assertThat(first.startedNanos()).isBetween(beforeStart, afterStart);
        assertThat(first.endedBy()).isEqualTo("kill -9");
        assertThat(first.endedNanos()).isBetween(first.startedNanos(), afterKill);
        assertThat(lives.get(1).hasEnded()).isFalse();
    }

    @Test
    void aFrozenProcessIsAliveButNotServingAndItsPauseIsRecorded() {
        node = new NodeProcess("n1", 1, 2, dir);
        node.start(LONG_LIVED);
        node.freeze();
        assertThat(node.isAlive()).isTrue();
        assertThat(node.isServing()).isFalse();
        assertThat(node.toString()).contains("stopped");
        node.resume();
        assertThat(node.isServing()).isTrue();

        List<Pause> pauses = node.incarnations().get(0).pauses();
        assertThat(pauses).hasSize(1);
        assertThat(pauses.get(0).resumedNanos())
                .isGreaterThanOrEqualTo(pauses.get(0).stoppedNanos());
    }

    @Test
    void aProcessKilledWhileFrozenEndsItsPauseAtItsDeath() {
        node = new NodeProcess("n1", 1, 2, dir);
        node.start(LONG_LIVED);
        node.freeze();
        node.kill();

        assertThat(node.isAlive()).isFalse();
        Incarnation life = node.incarnations().get(0);
        assertThat(life.pauses())
                .singleElement()
                .satisfies(p -> assertThat(p.resumedNanos()).isEqualTo(life.endedNanos()));
    }

    @Test
    void aGracefulStopEndsWhenTheProcessIsSeenGone() {
        node = new NodeProcess("n1", 1, 2, dir);
        node.start(LONG_LIVED);
        long beforeStop = System.nanoTime();
        node.stop();

        assertThat(node.isAlive()).isFalse();
        Incarnation life = node.incarnations().get(0);
        assertThat(life.endedBy()).isEqualTo("SIGTERM");
        assertThat(life.endedNanos()).isGreaterThanOrEqualTo(beforeStop);
    }

    @Test
    void eachIncarnationBeginsWithAHeaderLineInTheAppendedLog() throws Exception {
        node = new NodeProcess("n1", 1, 2, dir);
        node.start(List.of("echo", "hello"));
        assertThat(node.awaitExit(10)).isTrue();
        node.start(List.of("echo", "again"));
        assertThat(node.awaitExit(10)).isTrue();

        assertThat(node.incarnations()).allSatisfy(i -> assertThat(i.endedBy()).isEqualTo("exit"));
        List<String> log = Files.readAllLines(node.logFile());
        assertThat(log)
                .anyMatch(l -> l.startsWith("===== ") && l.endsWith("start of n1 incarnation 1: echo hello"))
                .anyMatch(l -> l.endsWith("start of n1 incarnation 2: echo again"))
                .contains("hello", "again");
        assertThat(Files.isDirectory(node.dataDir())).isTrue();
    }
}
