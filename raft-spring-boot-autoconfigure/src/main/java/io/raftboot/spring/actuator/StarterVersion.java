package io.raftboot.spring.actuator;

/** The starter's version from its jar's manifest; "unknown" when run from classes (tests, IDE). */
final class StarterVersion {

    private StarterVersion() {}

    static String get() {
        String version = StarterVersion.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
