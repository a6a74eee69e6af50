package io.raftboot.benchmarks.ratis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

/**
 * One Ratis server process of the comparison, with a thin HTTP adapter so that the same scenario
 * code drives it: {@code GET /status} ({"nodeId","role","term","leaderId"}, the names of our
 * {@code /actuator/raft}), {@code PUT /config/{key}} (a write through a RaftClient embedded in this
 * process, which finds the leader like any Ratis client, answered once committed and applied),
 * {@code GET /config/{key}} (this node's copy).
 *
 * <pre>java -cp ... RatisNodeMain --id n1 --http 8081 --dir /tmp/r/n1 --peers n1=127.0.0.1:9091,n2=...</pre>
 */
public final class RatisNodeMain {

    public static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("raft-bench".getBytes()));

    public static void main(String[] args) throws Exception {
        String id = arg(args, "--id");
        int httpPort = Integer.parseInt(arg(args, "--http"));
        File dir = new File(arg(args, "--dir"));
        RaftGroup group = group(arg(args, "--peers"));
        RaftPeer self = group.getPeer(RaftPeerId.valueOf(id));

        KvStateMachine sm = new KvStateMachine(null);
        // --raft-port: where this server listens when its address in --peers is a proxy in front of it.
        String listen = optionalArg(args, "--raft-port");
        RaftServer server = listen == null
                ? newServer(self, group, dir, sm)
                : newServer(self, Integer.parseInt(listen), group, dir, sm);
        server.start();
        RaftClient client = newClient(group);

        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 256);
        http.setExecutor(Executors.newFixedThreadPool(96));
        http.createContext("/status", ex -> {
            DivisionInfo info = server.getDivision(GROUP_ID).getInfo();
            RaftPeerId leader = info.getLeaderId();
            respond(
                    ex,
                    200,
                    "{\"nodeId\":\"" + id + "\",\"role\":\""
                            + info.getCurrentRole().name() + "\",\"term\":"
                            + info.getCurrentTerm() + ",\"leaderId\":"
                            + (leader == null ? "null" : "\"" + leader + "\"")
                            + ",\"lastApplied\":" + info.getLastAppliedIndex() + "}");
        });
        http.createContext("/config/", ex -> {
            String key = ex.getRequestURI().getPath().substring("/config/".length());
            if ("PUT".equals(ex.getRequestMethod())) {
                String value = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    RaftClientReply reply =
                            client.async().send(KvStateMachine.put(key, value)).get(10, TimeUnit.SECONDS);
                    if (reply.isSuccess()) {
                        respond(
                                ex,
                                200,
                                "{\"key\":\"" + key + "\",\"configVersion\":"
                                        + reply.getMessage().getContent().toString(StandardCharsets.UTF_8) + "}");
                    } else {
                        respond(ex, 503, "{\"error\":\"" + reply.getException() + "\"}");
                    }
                } catch (Exception e) {
                    respond(ex, 503, "{\"error\":\"" + e.toString().replace('"', '\'') + "\"}");
                }
            } else {
                String v = sm.get(key);
                respond(
                        ex,
                        v == null ? 404 : 200,
                        v == null ? "{}" : "{\"key\":\"" + key + "\",\"value\":\"" + v + "\"}");
            }
        });
        http.start();
        System.out.println("Started RatisNodeMain " + id + " http " + httpPort + " raft " + self.getAddress());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            try {
                client.close();
                server.close();
            } catch (IOException e) {
                // exiting anyway
            }
        }));
        Thread.currentThread().join();
    }

    public static RaftServer newServer(RaftPeer self, RaftGroup group, File dir, KvStateMachine sm) throws IOException {
        return newServer(
                self,
                Integer.parseInt(self.getAddress().substring(self.getAddress().lastIndexOf(':') + 1)),
                group,
                dir,
                sm);
    }

    /** @param port where the server listens (its address in the group may be a proxy in front of it) */
    public static RaftServer newServer(RaftPeer self, int port, RaftGroup group, File dir, KvStateMachine sm)
            throws IOException {
        RaftProperties p = RatisSettings.properties(dir);
        GrpcConfigKeys.Server.setPort(p, port);
        boolean exists = new File(dir, GROUP_ID.getUuid().toString()).exists();
        return RaftServer.newBuilder()
                .setServerId(self.getId())
                .setStateMachine(sm)
                .setGroup(group)
                .setProperties(p)
                .setOption(exists ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
    }

    public static RaftClient newClient(RaftGroup group) {
        RaftProperties cp = new RaftProperties();
        return RaftClient.newBuilder()
                .setProperties(cp)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        200, TimeDuration.valueOf(10, TimeUnit.MILLISECONDS)))
                .build();
    }

    public static RaftGroup group(String peers) {
        List<RaftPeer> list = new ArrayList<>();
        for (String p : peers.split(",")) {
            String[] kv = p.split("=", 2);
            list.add(RaftPeer.newBuilder().setId(kv[0]).setAddress(kv[1]).build());
        }
        return RaftGroup.valueOf(GROUP_ID, list);
    }

    private static void respond(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static String optionalArg(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static String arg(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("missing " + name);
    }
}
