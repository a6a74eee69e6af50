package io.raftboot.spring.it;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A bare application: only what auto-configuration brings. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestNodeApp {}
