package io.raftboot.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app whose start is timed on each Spring Boot line: web + actuator and one controller, like
 * the benchmark's BareApp. Built twice per line, without the starter and with it
 * ({@code -Praft}); it never names a Raft type, so both builds run the same code.
 */
@SpringBootApplication
@RestController
public class StartupApp {

    @GetMapping("/hello")
    public String hello() {
        return "hello";
    }

    public static void main(String[] args) {
        SpringApplication.run(StartupApp.class, args);
    }
}
