package io.raftboot.consumer.grpc;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /grpc/echo?port=N}: calls consumer.Echo/Say on 127.0.0.1:N, a gRPC client inside the
 * app (grpcurl is not installed where run.sh runs). run.sh points it at another node's Raft port to
 * show the application's service answers on the port Raft uses.
 *
 * <p>{@code credentials} says how the call connects: {@code app} (the default) with this app's own
 * TLS settings, mutual TLS from the SSL bundle {@code consumer.grpc.bundle} names, or plaintext when
 * that is empty; {@code plaintext}; or {@code tls-without-certificate} (trusting the bundle's CA,
 * presenting no client certificate). run.sh uses the last two to show that a server requiring
 * client certificates refuses them. A failed call answers 502 with the gRPC status.
 */
@RestController
public class EchoController {

    private final ObjectProvider<SslBundles> bundles;
    private final String bundle;

    public EchoController(ObjectProvider<SslBundles> bundles, @Value("${consumer.grpc.bundle:}") String bundle) {
        this.bundles = bundles;
        this.bundle = bundle;
    }

    @GetMapping("/grpc/echo")
    public ResponseEntity<String> echo(
            @RequestParam int port,
            @RequestParam(defaultValue = "hello") String text,
            @RequestParam(defaultValue = "app") String credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials(credentials))
                .build();
        try {
            return ResponseEntity.ok(ClientCalls.blockingUnaryCall(
                    channel, EchoService.SAY, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), text));
        } catch (StatusRuntimeException e) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(e.getStatus().toString());
        } finally {
            channel.shutdownNow();
        }
    }

    private ChannelCredentials credentials(String kind) {
        if ("plaintext".equals(kind) || ("app".equals(kind) && bundle.isBlank())) {
            return InsecureChannelCredentials.create();
        }
        if (bundle.isBlank()) {
            throw new IllegalArgumentException("credentials=" + kind + " needs consumer.grpc.bundle");
        }
        SslBundle ssl = bundles.getObject().getBundle(bundle);
        TlsChannelCredentials.Builder tls =
                TlsChannelCredentials.newBuilder().trustManager(ssl.getManagers().getTrustManagers());
        return switch (kind) {
            case "app" -> tls.keyManager(ssl.getManagers().getKeyManagers()).build();
            case "tls-without-certificate" -> tls.build();
            default -> throw new IllegalArgumentException("credentials: app, plaintext or tls-without-certificate");
        };
    }
}
