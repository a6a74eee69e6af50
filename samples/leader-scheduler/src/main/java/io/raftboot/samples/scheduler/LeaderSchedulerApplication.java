package io.raftboot.samples.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A service run as several replicas that elect a leader among themselves: one runs the
 * {@link LeaderJob}; the leader spreads the named roles of {@link SampleRoles} over them, each
 * running that role's job ({@link RoleJobs}); all of them serve the replicated config over REST
 * ({@link ConfigController}) and report the jobs' runs ({@link JobsController}).
 *
 * <pre>
 * java -jar leader-scheduler.jar --server.port=8081 --raft.node-id=n1 \
 *   --raft.peers.n1=127.0.0.1:9091 --raft.peers.n2=127.0.0.1:9092 --raft.peers.n3=127.0.0.1:9093 \
 *   --raft.data-dir=target/cluster/n1
 * </pre>
 */
@SpringBootApplication
@EnableScheduling
public class LeaderSchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LeaderSchedulerApplication.class, args);
    }
}
