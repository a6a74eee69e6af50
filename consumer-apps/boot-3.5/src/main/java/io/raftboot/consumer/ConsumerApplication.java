package io.raftboot.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The smallest app a user would write with the starter: a leader-only job ({@link LeaderOnlyJob})
 * and a REST surface over the replicated config and the job's runs ({@link ConsumerController}).
 * consumer-apps/run.sh starts three of it and checks that they elect, run the job once and replicate.
 */
@SpringBootApplication
@EnableScheduling
public class ConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }
}
