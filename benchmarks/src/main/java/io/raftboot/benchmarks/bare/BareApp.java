package io.raftboot.benchmarks.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bare Spring Boot app of the start-up comparison (scenario 6): web + actuator and one
 * controller. Started without the starter on its classpath, with it but {@code raft.enabled=false},
 * and with it as a one-voter cluster.
 */
@SpringBootApplication
@RestController
public class BareApp {

    @GetMapping("/hello")
    public String hello() {
        return "hello";
    }

    public static void main(String[] args) {
        SpringApplication.run(BareApp.class, args);
    }
}
