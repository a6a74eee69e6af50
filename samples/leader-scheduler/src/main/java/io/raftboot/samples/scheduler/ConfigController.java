package io.raftboot.samples.scheduler;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.config.ConfigValueTooLargeException;
import io.raftboot.spring.config.ConfigWriteException;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.NoLeaderException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The replicated config over REST, on every node:
 * <ul>
 *   <li>{@code GET /config/{key}} -> 200 {@code {"key", "value", "version", "modIndex", "configVersion"}}
 *       from this node's copy, or 404;</li>
 *   <li>{@code PUT /config/{key}} with the value as body (any content type; the bytes as sent)
 *       -> 200, the same document, once the write is committed (a follower forwards it to the
 *       leader); {@code ?expectedVersion=N} makes it a compare-and-set (409 on another version),
 *       {@code ?expectedModIndex=N} one on the key's modIndex, which never repeats (no ABA);</li>
 *   <li>{@code DELETE /config/{key}} -> 200 {@code {"key", "deleted", "previousVersion", "version": 0,
 *       "configVersion"}}, or 404 if absent;</li>
 *   <li>a write that failed -> 503 (or 400, 413, 415) {@code {"key", "error", "outcomeUnknown"}}:
 *       {@code outcomeUnknown} true when it may still be committed, false when it surely was not;</li>
 *   <li>{@code GET /config?prefix=} -> {@code {"configVersion", "entries": {key: {"value", "version", "modIndex"}}}},
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
    public ResponseEntity<Map<String, Object>> get(
            @PathVariable String key, @RequestParam(defaultValue = "local") String consistency) {
        Optional<VersionedValue> entry = config.getEntry(key, readConsistency(consistency));
        if (entry.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, key, "no key '" + key + "' in the replicated config");
        }
        // Read after the entry: this node's copy had applied at least this many changes when it was read.
        return ResponseEntity.ok(document(
                key,
                entry.get().valueAsString(),
                entry.get().version(),
                entry.get().modIndex(),
                config.configVersion()));
    }

    @GetMapping
    public Map<String, Object> all(
            @RequestParam(defaultValue = "") String prefix, @RequestParam(defaultValue = "local") String consistency) {
        Map<String, Object> entries = new LinkedHashMap<>();
        long configVersion = config.configVersion();
        config.getEntries(prefix, readConsistency(consistency)).forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", v.valueAsString());
            e.put("version", v.version());
            e.put("modIndex", v.modIndex());
            entries.put(k, e);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configVersion", configVersion);
        body.put("entries", entries);
        return body;
    }

    /**
     * The value is the request body exactly as sent, whatever its content type: curl's
     * {@code -d red} says {@code application/x-www-form-urlencoded}, and the value is still
     * {@code red}. application.yml turns Spring's FormContentFilter off, which would otherwise
     * parse such a PUT body into parameters and leave an empty stream; should some filter eat the
     * body anyway, the write is refused with 415 rather than storing a value the client did not send.
     * With {@code ?expectedVersion=N} it is a compare-and-set (0: the key must not exist): 409
     * with the key's current {@code version} when it has another. With {@code ?expectedModIndex=N}
     * it compares the key's {@code modIndex} instead, which never repeats for a key (no ABA).
     */
    @PutMapping(value = "/{key}", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> put(
            @PathVariable String key,
            @RequestParam(required = false) Long expectedVersion,
            @RequestParam(required = false) Long expectedModIndex,
            HttpServletRequest request)
            throws IOException {
        byte[] value = request.getInputStream().readAllBytes();
        if (bodyEatenByAFilter(request, value)) {
            ResponseEntity<Map<String, Object>> refused = error(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    key,
                    "the " + request.getContentType()
                            + " body of this request was read before it reached the controller"
                            + " (a form filter?); nothing was written. Send the value with Content-Type: text/plain or"
                            + " application/octet-stream");
            refused.getBody().put("outcomeUnknown", false);
            return refused;
        }
        if (expectedVersion != null && expectedModIndex != null) {
            return surelyFailed(
                    HttpStatus.BAD_REQUEST,
                    key,
                    "give expectedVersion or expectedModIndex, not both; nothing was written");
        }
        CompletableFuture<ConfigResult> write = expectedVersion != null
                ? config.compareAndSet(key, expectedVersion, value)
                : expectedModIndex != null
                        ? config.compareAndSetModIndex(key, expectedModIndex, value)
                        : config.put(key, value);
        String expected = expectedVersion != null ? "version " + expectedVersion : "modIndex " + expectedModIndex;
        return write(key, write, result -> {
            if (result.outcome() == ConfigResult.Outcome.VERSION_MISMATCH) {
                ResponseEntity<Map<String, Object>> conflict = error(
                        HttpStatus.CONFLICT,
                        key,
                        "key '" + key + "' is at version " + result.newVersion() + ", modIndex " + result.modIndex()
                                + ", not at " + expected + "; nothing was written");
                conflict.getBody().put("version", result.newVersion());
                conflict.getBody().put("modIndex", result.modIndex());
                conflict.getBody().put("configVersion", result.configVersion());
                conflict.getBody().put("outcomeUnknown", false);
                return conflict;
            }
            return ResponseEntity.ok(document(
                    key,
                    new String(value, StandardCharsets.UTF_8),
                    result.newVersion(),
                    result.modIndex(),
                    result.configVersion()));
        });
    }

    /** 200 {@code {"key", "deleted": true, "previousVersion", "version": 0, "configVersion"}}, or 404 if absent. */
    @DeleteMapping("/{key}")
    public ResponseEntity<Map<String, Object>> delete(@PathVariable String key) {
        return write(key, config.delete(key), result -> {
            if (result.outcome() == ConfigResult.Outcome.NOT_FOUND) {
                ResponseEntity<Map<String, Object>> absent = error(
                        HttpStatus.NOT_FOUND,
                        key,
                        "no key '" + key + "' in the replicated config; nothing was deleted");
                absent.getBody().put("configVersion", result.configVersion());
                absent.getBody().put("outcomeUnknown", false);
                return absent;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", key);
            body.put("deleted", true);
            body.put("previousVersion", result.previousVersion());
            body.put("version", 0L);
            body.put("configVersion", result.configVersion());
            return ResponseEntity.ok(body);
        });
    }

    /**
     * Waits for a write and turns its result into an answer. Every error answer of a write says
     * {@code outcomeUnknown}: true when the write may still be (or have been) committed, false
     * when it surely was not.
     */
    private ResponseEntity<Map<String, Object>> write(
            String key,
            CompletableFuture<ConfigResult> write,
            Function<ConfigResult, ResponseEntity<Map<String, Object>>> answer) {
        ConfigResult result;
        try {
            result = write.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(key, "interrupted while waiting for the write to commit; it may still be committed");
        } catch (TimeoutException e) {
            return unknown(
                    key,
                    "the write was not committed within " + writeTimeout.toMillis() + " ms; it may still be committed");
        } catch (ExecutionException | CompletionException e) {
            return writeFailed(key, e.getCause() == null ? e : e.getCause());
        }
        if (result.outcome() == ConfigResult.Outcome.VERSION_MISMATCH
                || result.outcome() == ConfigResult.Outcome.NOT_FOUND
                || result.applied()) {
            return answer.apply(result);
        }
        ResponseEntity<Map<String, Object>> refused =
                error(HttpStatus.BAD_REQUEST, key, "the config store refused the write: " + result.outcome());
        refused.getBody().put("outcomeUnknown", false);
        return refused;
    }

    /**
     * Whether the body arrived shorter than declared, or, sent in chunks without a length, empty
     * while the request has parameters that are not in its query string (a form filter parsed it).
     */
    private static boolean bodyEatenByAFilter(HttpServletRequest request, byte[] body) {
        long declared = request.getContentLengthLong();
        if (declared >= 0) {
            return body.length != declared;
        }
        if (body.length > 0) {
            return false;
        }
        Set<String> inQuery = new HashSet<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                inQuery.add(URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8));
            }
        }
        return !inQuery.containsAll(request.getParameterMap().keySet());
    }

    /** A linearizable read that found no leader in time. */
    @ExceptionHandler(NoLeaderException.class)
    public ResponseEntity<Map<String, Object>> noLeader(NoLeaderException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage());
    }

    private ResponseEntity<Map<String, Object>> writeFailed(String key, Throwable cause) {
        if (cause instanceof NoLeaderException) {
            // The writer says so only when no attempt can have reached a log (client sessions, issue 11).
            return surelyFailed(HttpStatus.SERVICE_UNAVAILABLE, key, cause.getMessage());
        }
        if (cause instanceof ConfigWriteException w) {
            ResponseEntity<Map<String, Object>> answer = error(HttpStatus.SERVICE_UNAVAILABLE, key, w.getMessage());
            answer.getBody().put("outcomeUnknown", w.isOutcomeUnknown());
            return answer;
        }
        if (cause instanceof ConfigValueTooLargeException) {
            return surelyFailed(HttpStatus.PAYLOAD_TOO_LARGE, key, cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            return surelyFailed(HttpStatus.BAD_REQUEST, key, cause.getMessage());
        }
        LOG.warn("Write of config key '{}' failed", key, cause);
        return unknown(key, String.valueOf(cause));
    }

    private static ResponseEntity<Map<String, Object>> unknown(String key, String message) {
        ResponseEntity<Map<String, Object>> answer = error(HttpStatus.SERVICE_UNAVAILABLE, key, message);
        answer.getBody().put("outcomeUnknown", true);
        return answer;
    }

    private static ResponseEntity<Map<String, Object>> surelyFailed(HttpStatus status, String key, String message) {
        ResponseEntity<Map<String, Object>> answer = error(status, key, message);
        answer.getBody().put("outcomeUnknown", false);
        return answer;
    }

    private static ReadConsistency readConsistency(String name) {
        return "linearizable".equalsIgnoreCase(name) ? ReadConsistency.LINEARIZABLE : ReadConsistency.LOCAL;
    }

    private static Map<String, Object> document(
            String key, String value, long version, long modIndex, long configVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", value);
        body.put("version", version);
        body.put("modIndex", modIndex);
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
