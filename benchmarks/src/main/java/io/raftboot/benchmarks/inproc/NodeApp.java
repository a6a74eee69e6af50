package io.raftboot.benchmarks.inproc;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A node of the in-process propagation harness: only what auto-configuration brings (the starter). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class NodeApp {}
