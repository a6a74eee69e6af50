package io.raftboot.samples.scheduler;

import io.raftboot.core.config.ConfigResult;
import io.raftboot.core.config.VersionedValue;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.config.ConfigValueTooLargeException;
import io.raftboot.spring.config.ConfigWriteException;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.NoLeaderException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The replicated config over REST, on every node:
 * <ul>
 *   <li>{@code GET /config/{key}} -> 200 {@code {"key", "value", "version", "configVersion"}} from
 *       this node's copy, or 404;</li>
 *   <li>{@code PUT /config/{key}} with a text body -> 200, the same document, once the write is
 *       committed (a follower forwards it to the leader); 503 with a message when no leader
 *       took it within {@code raft.write-timeout};</li>
 *   <li>{@code GET /config?prefix=} -> {@code {"configVersion", "entries": {key: {"value", "version"}}}},
 *       every key under the prefix in one answer.</li>
 * </ul>
 * Reads are local (this node's copy, which may lag the leader by a heartbeat); add
 * {@code ?consistency=linearizable} to read through the leader.
 */
@RestController
@RequestMapping("/config")
public class ConfigController {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigController.class);

    private final ReplicatedConfig config;
    private final Duration writeTimeout;

    public ConfigController(ReplicatedConfig config, RaftProperties properties) {
        this.config = config;
        // The write fails by itself after raft.write-timeout; this is only a guard against a hang.
        this.writeTimeout = properties.getWriteTimeout().plusSeconds(2);
    }

    @GetMapping("/{key}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable String key,
                                                   @RequestParam(defaultValue = "local") String consistency) {
        Optional<VersionedValue> entry = config.getEntry(key, readConsistency(consistency));
        if (entry.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, key, "no key '" + key + "' in the replicated config");
        }
        // Read after the entry: this node's copy had applied at least this many changes when it was read.
        return ResponseEntity.ok(document(key, entry.get().valueAsString(), entry.get().version(), config.configVersion()));
    }

    @GetMapping
    public Map<String, Object> all(@RequestParam(defaultValue = "") String prefix,
                                   @RequestParam(defaultValue = "local") String consistency) {
        Map<String, Object> entries = new LinkedHashMap<>();
        long configVersion = config.configVersion();
        config.getEntries(prefix, readConsistency(consistency)).forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", v.valueAsString());
            e.put("version", v.version());
            entries.put(k, e);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configVersion", configVersion);
        body.put("entries", entries);
        return body;
    }

    @PutMapping("/{key}")
    public ResponseEntity<Map<String, Object>> put(@PathVariable String key,
                                                   @RequestBody(required = false) String value) {
        String text = value == null ? "" : value;
        ConfigResult result;
        try {
            result = config.put(key, text).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(HttpStatus.SERVICE_UNAVAILABLE, key, "interrupted while waiting for the write to commit");
        } catch (TimeoutException e) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, key, "the write was not committed within "
                    + writeTimeout.toMillis() + " ms; it may still be committed");
        } catch (ExecutionException | CompletionException e) {
            return writeFailed(key, e.getCause() == null ? e : e.getCause());
        }
        if (!result.applied()) {
            return error(HttpStatus.BAD_REQUEST, key, "the config store refused the write: " + result.outcome());
        }
        return ResponseEntity.ok(document(key, text, result.newVersion(), result.configVersion()));
    }

    /** A linearizable read that found no leader in time. */
    @ExceptionHandler(NoLeaderException.class)
    public ResponseEntity<Map<String, Object>> noLeader(NoLeaderException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage());
    }

    private ResponseEntity<Map<String, Object>> writeFailed(String key, Throwable cause) {
        if (cause instanceof NoLeaderException) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, key, cause.getMessage());
        }
        if (cause instanceof ConfigWriteException w) {
            ResponseEntity<Map<String, Object>> answer = error(HttpStatus.SERVICE_UNAVAILABLE, key, w.getMessage());
            answer.getBody().put("outcomeUnknown", w.isOutcomeUnknown());
            return answer;
        }
        if (cause instanceof ConfigValueTooLargeException) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE, key, cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            return error(HttpStatus.BAD_REQUEST, key, cause.getMessage());
        }
        LOG.warn("Write of config key '{}' failed", key, cause);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, key, String.valueOf(cause));
    }

    private static ReadConsistency readConsistency(String name) {
        return "linearizable".equalsIgnoreCase(name) ? ReadConsistency.LINEARIZABLE : ReadConsistency.LOCAL;
    }

    private static Map<String, Object> document(String key, String value, long version, long configVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", value);
        body.put("version", version);
        body.put("configVersion", configVersion);
        return body;
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String key, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (key != null) {
            body.put("key", key);
        }
        body.put("error", message);
        return ResponseEntity.status(status).body(body);
    }
}
