package io.raftboot.testsupport.history;

/**
 * The state of one key in the model: its value ({@code null} = absent) and version (0 = absent).
 */
record KeyState(String value, long version) {

    static final KeyState ABSENT = new KeyState(null, 0);

    boolean present() {
        return version != 0;
    }

    @Override
    public String toString() {
        return value == null ? "absent" : Operation.quote(value) + " v" + version;
    }
}
