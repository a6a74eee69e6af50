package io.raftboot.spring.cluster;

/**
 * The {@code raft.*} configuration cannot work. Carries the offending property, its value, what
 * is wrong and what to change; {@code RaftConfigurationFailureAnalyzer} prints them at startup.
 */
public class RaftConfigurationException extends RuntimeException {

    private final String property;
    private final Object value;
    private final String problem;
    private final String action;

    public RaftConfigurationException(String property, Object value, String problem, String action) {
        super(property + " = " + value + ": " + problem + ". " + action);
        this.property = property;
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    public String property() {
        return property;
    }

    public Object value() {
        return value;
    }

    public String problem() {
        return problem;
    }

    public String action() {
        return action;
    }
}
