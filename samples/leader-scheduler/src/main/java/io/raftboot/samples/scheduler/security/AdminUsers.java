package io.raftboot.samples.scheduler.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The user store behind HTTP Basic on the actuator: the configured admin, or nobody.
 * Declaring our own store is also what stops Spring Boot's UserDetailsServiceAutoConfiguration
 * from generating a random password and logging it at startup (a secret in the logs).
 */
final class AdminUsers {

    static final String ADMIN_ROLE = "ADMIN";

    private static final Logger LOG = LoggerFactory.getLogger(AdminUsers.class);

    private AdminUsers() {}

    static InMemoryUserDetailsManager of(AdminProperties admin) {
        if (!admin.hasPassword()) {
            // Refusing everyone is the safe default: a forgotten variable must not open the endpoint.
            LOG.warn("No admin password is set (ADMIN_PASSWORD): the actuator's write operations "
                    + "(POST /actuator/raft: leadership transfer, step-down) are refused for everyone");
            return new InMemoryUserDetailsManager();
        }
        // Kept hashed in memory (bcrypt), so that a heap dump does not show it in clear here.
        String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(admin.password());
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(hash)
                .roles(ADMIN_ROLE)
                .build());
    }
}
