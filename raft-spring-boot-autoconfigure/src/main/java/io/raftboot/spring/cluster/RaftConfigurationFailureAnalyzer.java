package io.raftboot.spring.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RaftConfigurationException} anywhere in a startup failure into Spring Boot's
 * "APPLICATION FAILED TO START" report: what is wrong with which property, and what to change.
 */
public class RaftConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RaftConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RaftConfigurationException cause) {
        String description = "The Raft configuration is invalid.\n\n    Property: " + cause.property() + "\n    Value: "
                + cause.value() + "\n    Problem: " + cause.problem();
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
