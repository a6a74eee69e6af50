package io.raftboot.spring.grpc.security;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The raft.auth.secret authentication of the frames of one direction of one stream (the
 * {@code Replicate} RPC). A stream's headers are signed once, when it opens, with a fresh nonce
 * that the receiver admits only once and only within the replay window (as a unary request's);
 * after that, every frame carries its own proof, appended to its bytes as a fixed 45-byte
 * trailer that is valid protobuf (fields 41 and 42 of {@code HBeat} and {@code HBeatReturn}:
 * {@code frame_auth_seq}, {@code frame_auth_mac}):
 *
 * <ul>
 *   <li>a sequence number, 1 for the first frame of the direction and one more for each next;
 *       the receiver admits exactly the next one, so a frame can be neither replayed, dropped
 *       from the middle, nor reordered without the stream being closed;</li>
 *   <li>HMAC-SHA256 ({@link SharedSecret#signFrame}) over the direction, the method, cluster,
 *       sender, receiver, the stream's nonce, that number and the frame's bytes before the
 *       trailer, so a frame cannot be altered, nor moved to another stream, another pair of
 *       nodes or the other direction.</li>
 * </ul>
 *
 * Someone without the secret can still cut a stream (as they can cut a connection): its frames
 * are then lost messages, which Raft tolerates. Not thread-safe: one instance per direction,
 * used under the stream's lock or from its one inbound thread.
 */
final class StreamFrames {

    /** Trailer: tag 41/fixed64 (2 bytes), 8 bytes, tag 42/bytes (2), length 32 (1), 32 bytes. */
    static final int TRAILER_BYTES = 45;

    private static final int MAC_BYTES = 32;
    private static final byte[] SEQ_TAG = {(byte) 0xC9, 0x02}; // (41 << 3) | 1, as a varint
    private static final byte[] MAC_TAG = {(byte) 0xD2, 0x02, MAC_BYTES}; // (42 << 3) | 2, then the length

    /** What {@link #open} found: the frame's bytes without the trailer, or why it is refused. */
    record Opened(byte[] body, RefusalReason refusal, String problem) {

        static Opened refused(RefusalReason reason, String problem) {
            return new Opened(null, reason, problem);
        }

        boolean ok() {
            return refusal == null;
        }
    }

    private final SharedSecret secret;
    private final boolean reply;
    private final String method;
    private final String cluster;
    private final String from;
    private final String to;
    private final String nonce;
    private long lastSeq;

    /**
     * @param reply whether this direction carries the stream's replies (server to client)
     * @param from the node that sends the frames of this direction
     * @param nonce the nonce of the stream's signed opening
     */
    StreamFrames(
            SharedSecret secret, boolean reply, String method, String cluster, String from, String to, String nonce) {
        this.secret = secret;
        this.reply = reply;
        this.method = method;
        this.cluster = cluster;
        this.from = from;
        this.to = to;
        this.nonce = nonce;
    }

    /** The frame's bytes with the trailer of the next sequence number appended. */
    byte[] seal(byte[] body) {
        long seq = ++lastSeq;
        byte[] mac = secret.signFrame(reply, method, cluster, from, to, nonce, seq, body);
        byte[] frame = Arrays.copyOf(body, body.length + TRAILER_BYTES);
        int at = body.length;
        frame[at++] = SEQ_TAG[0];
        frame[at++] = SEQ_TAG[1];
        for (int i = 0; i < 8; i++) {
            frame[at++] = (byte) (seq >>> (8 * i)); // fixed64 is little-endian
        }
        System.arraycopy(MAC_TAG, 0, frame, at, MAC_TAG.length);
        at += MAC_TAG.length;
        System.arraycopy(mac, 0, frame, at, MAC_BYTES);
        return frame;
    }

    /**
     * Checks a received frame: its trailer must be there, carry the next sequence number and an
     * HMAC that verifies. Only an admitted frame advances the expected number.
     */
    Opened open(byte[] frame) {
        int n = frame.length - TRAILER_BYTES;
        if (n < 0
                || frame[n] != SEQ_TAG[0]
                || frame[n + 1] != SEQ_TAG[1]
                || frame[n + 10] != MAC_TAG[0]
                || frame[n + 11] != MAC_TAG[1]
                || frame[n + 12] != MAC_TAG[2]) {
            return Opened.refused(
                    RefusalReason.MISSING_SIGNATURE, "a stream frame without its raft.auth.secret trailer");
        }
        long seq = 0;
        for (int i = 7; i >= 0; i--) {
            seq = (seq << 8) | (frame[n + 2 + i] & 0xFF);
        }
        byte[] body = Arrays.copyOf(frame, n);
        byte[] received = Arrays.copyOfRange(frame, n + 13, n + 13 + MAC_BYTES);
        byte[] expected = secret.signFrame(reply, method, cluster, from, to, nonce, seq, body);
        if (!MessageDigest.isEqual(expected, received)) {
            return Opened.refused(
                    RefusalReason.BAD_SIGNATURE,
                    "a stream frame whose raft.auth.secret HMAC does not verify: altered on the way, moved from"
                            + " another stream, or signed with another secret");
        }
        if (seq != lastSeq + 1) {
            return Opened.refused(
                    RefusalReason.REPLAYED,
                    "a stream frame numbered " + seq + " where " + (lastSeq + 1)
                            + " was due: replayed, reordered or dropped on the way");
        }
        lastSeq = seq;
        return new Opened(body, null, null);
    }
}
