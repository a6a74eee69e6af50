package org.springframework.scheduling.raftbootfixture;

import io.raftboot.spring.annotation.FrameworkTypesTest;

/**
 * A class in a framework's package (one FrameworkTypes skips) that implements an interface of the
 * application's (FrameworkTypesTest).
 */
public class FrameworkJobs implements FrameworkTypesTest.AppJobs {

    @Override
    public void run() {}
}
