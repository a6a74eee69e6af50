package org.apache.raftbootfixture;

import io.raftboot.spring.annotation.FrameworkTypesTest;

/** A class in a framework's package that implements an interface of the application's (FrameworkTypesTest). */
public class FrameworkJobs implements FrameworkTypesTest.AppJobs {

    @Override
    public void run() {}
}
