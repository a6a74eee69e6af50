package io.raftboot.testsupport.history;

/** The operations of the replicated config store a history records (see {@link Operation}). */
public enum OpKind {
    /** Sets the key to a value unconditionally; always applies, the key's version grows by one. */
    PUT,
    /** Removes the key; applies only if the key is present. */
    DELETE,
    /** Writes (or, with a null new value, deletes) the key only if its version is the expected one. */
    CAS,
    /** Reads the key's value and version. */
    READ
}
