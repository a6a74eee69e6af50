package org.springframework.raftbootfixture;

import io.raftboot.spring.annotation.LeaderOnly;

/** Application code in a package under org.springframework, as Spring's PetClinic sample has (DeclaredAnnotationsTest). */
public class PetClinicJobs {

    @LeaderOnly
    public void remindOwners() {}
}
