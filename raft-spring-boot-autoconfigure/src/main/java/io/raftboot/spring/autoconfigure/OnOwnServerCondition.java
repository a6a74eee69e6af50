package io.raftboot.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/** Matches when Raft runs on the starter's own gRPC server ({@link ServerMode}). */
class OnOwnServerCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ServerMode mode = Binder.get(context.getEnvironment())
                .bind("raft.server.mode", ServerMode.class)
                .orElse(ServerMode.AUTO);
        boolean netDevh = ClassUtils.isPresent(ServerMode.NET_DEVH_SERVICE, context.getClassLoader());
        boolean own = mode.own(netDevh);
        String why = "raft.server.mode " + mode + (netDevh ? " with" : " without") + " net.devh";
        return own ? ConditionOutcome.match(why + ": own server") : ConditionOutcome.noMatch(why + ": shared server");
    }
}
