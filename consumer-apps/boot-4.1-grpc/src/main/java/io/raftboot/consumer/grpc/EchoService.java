package io.raftboot.consumer.grpc;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The application's own gRPC service (consumer.Echo/Say, text on the wire, no generated code), served
 * by Spring gRPC's server beside Raft (raft.server.mode=shared).
 */
@Component
public class EchoService implements BindableService {

    static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("consumer.Echo/Say")
            .setRequestMarshaller(TEXT)
            .setResponseMarshaller(TEXT)
            .build();

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder("consumer.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext("echo " + request);
                    reply.onCompleted();
                }))
                .build();
    }
}
