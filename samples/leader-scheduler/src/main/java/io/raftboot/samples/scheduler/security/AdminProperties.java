package io.raftboot.samples.scheduler.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one administrator of the sample's actuator write operations ({@code sample.admin.*};
 * application.yml binds them from the environment variables {@code ADMIN_USER} and
 * {@code ADMIN_PASSWORD}, so the password is never on a command line or in a file of the image).
 *
 * @param username defaults to {@code admin}
 * @param password no default: without one, no one may call a write operation
 */
@ConfigurationProperties("sample.admin")
public record AdminProperties(String username, String password) {

    public AdminProperties {
        // Unset, or ADMIN_USER set but empty: the default rather than a user without a name.
        username = username == null || username.isBlank() ? "admin" : username.trim();
    }

    public boolean hasPassword() {
        return password != null && !password.isBlank();
    }

    /** A record prints every component; this one must never print the password. */
    @Override
    public String toString() {
        return "AdminProperties[username=" + username + ", password=" + (hasPassword() ? "******" : "(none)") + "]";
    }
}
