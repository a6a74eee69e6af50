package io.raftboot.testsupport.history;

/**
 * What the store answered to an {@link Operation} with {@link Outcome#OK}. Ignored (and may be
 * {@code null}) for an operation whose outcome is {@link Outcome#UNKNOWN}.
 *
 * @param applied PUT, DELETE, CAS: whether the operation changed the store (a PUT always does; a
 *     DELETE of an absent key and a CAS whose expected version did not match do not). Ignored for READ.
 * @param value READ: the value read, {@code null} if the key was absent. Ignored for the writes.
 * @param version READ: the version read (0 = absent). PUT, DELETE, CAS: the key's version after the
 *     operation (0 = absent after it); for a CAS that did not match, the current version it saw
 *     (what {@code io.raftboot.core.store.ConfigResult#newVersion} reports)
 */
public record Result(boolean applied, String value, long version) {

    public Result {
        if (version < 0) {
            throw new IllegalArgumentException("a key's version is never negative, got " + version);
        }
    }

    /** A write that changed the store and left the key at {@code versionAfter} (0 = absent). */
    public static Result applied(long versionAfter) {
        return new Result(true, null, versionAfter);
    }

    /** A write that changed nothing; the key was at {@code currentVersion} (0 = absent). */
    public static Result notApplied(long currentVersion) {
        return new Result(false, null, currentVersion);
    }

    /** A read that saw {@code value} at {@code version}; {@code (null, 0)} for an absent key. */
    public static Result read(String value, long version) {
        return new Result(true, value, version);
    }
}
