package io.raftboot.spring.grpc;

import io.raftboot.core.message.Message;
import java.util.function.Consumer;

/**
 * Where inbound messages go: the Raft loop, once it exists. Breaks the construction cycle
 * between the loop (which needs the transport) and the transport and server (which deliver to
 * the loop). Messages arriving before {@link #attach} are dropped, as a network may drop them.
 */
public final class MessageRelay implements Consumer<Message> {

    private volatile Consumer<Message> target = m -> {};

    public void attach(Consumer<Message> target) {
        this.target = target;
    }

    @Override
    public void accept(Message message) {
        target.accept(message);
    }
}
