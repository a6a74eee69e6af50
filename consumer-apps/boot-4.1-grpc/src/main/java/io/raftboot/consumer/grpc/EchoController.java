package io.raftboot.consumer.grpc;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /grpc/echo?port=N}: calls consumer.Echo/Say on 127.0.0.1:N, a gRPC client inside the
 * app (grpcurl is not installed where run.sh runs). run.sh points it at another node's Raft port to
 * show the application's service answers on the port Raft uses.
 */
@RestController
public class EchoController {

    @GetMapping("/grpc/echo")
    public String echo(@RequestParam int port, @RequestParam(defaultValue = "hello") String text) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                .build();
        try {
            return ClientCalls.blockingUnaryCall(
                    channel, EchoService.SAY, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), text);
        } finally {
            channel.shutdownNow();
        }
    }
}
