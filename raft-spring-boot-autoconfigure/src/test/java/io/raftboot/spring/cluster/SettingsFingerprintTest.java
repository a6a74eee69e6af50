package io.raftboot.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsFingerprintTest {

    private static final String OURS = SettingsFingerprint.of(Duration.ofMillis(300), Duration.ofMillis(50), 0.1);

    @Test
    void equalSettingsAndAnEarlierReleaseThatSendsNoneAgree() {
        assertThat(SettingsFingerprint.differences(OURS, OURS)).isEmpty();
        assertThat(SettingsFingerprint.differences("", OURS)).isEmpty();
        assertThat(SettingsFingerprint.differences(null, OURS)).isEmpty();
    }

    @Test
    void eachDifferingValueIsNamedWithBothValues() {
        String theirs = SettingsFingerprint.of(Duration.ofMillis(500), Duration.ofMillis(50), 0.2);

        assertThat(SettingsFingerprint.differences(theirs, OURS))
                .containsExactly(
                        "raft.election-timeout: 500ms there, 300ms here", "raft.max-clock-drift: 0.2 there, 0.1 here");
    }

    @Test
    void aFingerprintOfAnotherShapeStillDisagrees() {
        assertThat(SettingsFingerprint.differences(OURS + ",raft.something-new=1", OURS))
                .singleElement()
                .asString()
                .contains("there", "here");
    }
}
