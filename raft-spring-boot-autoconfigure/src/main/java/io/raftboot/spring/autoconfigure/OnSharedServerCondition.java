package io.raftboot.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when Raft runs on the application's gRPC server, net.devh's or Spring gRPC's ({@link ServerMode}). */
class OnSharedServerCondition extends OnOwnServerCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionOutcome own = super.getMatchOutcome(context, metadata);
        return new ConditionOutcome(!own.isMatch(), own.getConditionMessage());
    }
}
