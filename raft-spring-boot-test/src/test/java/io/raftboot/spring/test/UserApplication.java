package io.raftboot.spring.test;

import io.raftboot.spring.annotation.LeaderOnly;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * An application as a user writes it, whose application.properties (src/test/resources) names
 * the production peers and data directory, as a real one would.
 */
@SpringBootApplication
class UserApplication {

    /** A leader-only job: counts the calls that got through the annotation. */
    @Component
    static class Report {

        private final AtomicInteger runs = new AtomicInteger();

        @LeaderOnly
        public void run() {
            runs.incrementAndGet();
        }

        public int runs() {
            return runs.get();
        }
    }
}
