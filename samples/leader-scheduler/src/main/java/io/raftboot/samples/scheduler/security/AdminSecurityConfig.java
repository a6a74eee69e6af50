package io.raftboot.samples.scheduler.security;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what over HTTP. {@code POST /actuator/raft} (leadership transfer, step-down) is
 * an administrative operation: anyone who can call it can move leadership. So:
 * <ul>
 *   <li>{@code GET} of {@code health} (with {@code /liveness}, {@code /readiness}), {@code info}
 *       and {@code raft}: open, for probes, {@code cluster.sh status} and monitoring;</li>
 *   <li>everything else under the actuator, every write operation in particular: role ADMIN over
 *       HTTP Basic ({@link AdminProperties});</li>
 *   <li>the sample's own REST API ({@code /config}, {@code /jobs}): open, as a demo API driven by
 *       {@code cluster.sh}, ClusterFaultIT and the benchmarks. A real service would protect its
 *       writes too.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminSecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                EndpointRequest.to("health", "info", "raft").withHttpMethod(HttpMethod.GET))
                        .permitAll()
                        .anyRequest()
                        .hasRole(AdminUsers.ADMIN_ROLE))
                .httpBasic(withDefaults())
                // The callers are scripts and operators' curl with Basic credentials on every
                // request, not a browser session: no session, so no CSRF token to check.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * The demo API (and {@code /error}). CSRF is off here as well: it carries no credentials a
     * browser could be tricked into sending, and PUT /config from curl has no token to offer.
     */
    @Bean
    @Order(2)
    SecurityFilterChain demoApiSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    UserDetailsService adminUsers(AdminProperties admin) {
        return AdminUsers.of(admin);
    }
}
