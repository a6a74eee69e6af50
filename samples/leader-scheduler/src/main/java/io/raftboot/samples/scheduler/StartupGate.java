package io.raftboot.samples.scheduler;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * WORKAROUND, to be removed once the starter restores the node before the web server takes
 * requests. Today the web server starts (Spring phase {@code Integer.MAX_VALUE - 1024}) before
 * the Raft node loads its data directory ({@code RaftLifecycle}, phase
 * {@code Integer.MAX_VALUE - 1000}); in between, and until the node has re-applied the entries
 * its disk knows to be committed, a restarted node answers as if it were new: term 0 on
 * {@code /actuator/raft}, configVersion 0, 404 for keys that exist. This filter answers 503
 * ({@code Retry-After: 1}) instead, on every path but {@code /actuator/health}, until then.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupGate extends OncePerRequestFilter {

    private final RaftLoop loop;
    private volatile boolean open;
    private volatile long committedOnDisk = -1;

    public StartupGate(RaftLoop loop) {
        this.loop = loop;
    }

    /** Whether the node runs and has applied what its disk held as committed when it started. */
    boolean isOpen() {
        if (open) {
            return true;
        }
        if (!loop.isRunning()) {
            return false;
        }
        RaftStatus status = loop.status();
        if (committedOnDisk < 0) {
            committedOnDisk = status.commitIndex();
        }
        if (status.lastApplied() >= committedOnDisk) {
            open = true;
        }
        return open;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return open || request.getRequestURI().startsWith("/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isOpen()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"the Raft node of this application is still starting\"}");
    }
}
