package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.Snapshot;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The canonical text of what the golden files compare: one line per message and per node
 * state. Only values appear (no identity hashes, no record {@code toString} of arrays), log
 * positions are written {@code index@term}, and a command's bytes as a quoted string when they
 * are printable UTF-8, else as hex, so a line reads the same on every run and every machine.
 */
final class InteractionOutput {

    private InteractionOutput() {}

    /** {@code from->to Type term=T key=value...}, the fields that decide what the receiver does. */
    static String message(Message m) {
        StringBuilder sb = new StringBuilder(m.from())
                .append("->")
                .append(m.to())
                .append(' ')
                .append(m.getClass().getSimpleName())
                .append(" term=")
                .append(m.term());
        if (m instanceof VoteRequest vr) {
            sb.append(vr.preVote() ? " pre" : "")
                    .append(" last=")
                    .append(pos(vr.lastLogIndex(), vr.lastLogTerm()))
                    .append(vr.transfer() ? " transfer" : "");
        } else if (m instanceof VoteResponse vr) {
            sb.append(vr.preVote() ? " pre" : "").append(vr.granted() ? " granted" : " refused");
            if (vr.promiseTicks() > 0) {
                sb.append(" broken-promise=").append(vr.promiseTicks());
            }
        } else if (m instanceof AppendEntries ae) {
            sb.append(" prev=")
                    .append(pos(ae.prevLogIndex(), ae.prevLogTerm()))
                    .append(" commit=")
                    .append(ae.leaderCommit())
                    .append(" seq=")
                    .append(ae.readSeq());
            if (!ae.entries().isEmpty()) {
                sb.append(" entries=[")
                        .append(ae.entries().stream()
                                .map(InteractionOutput::entry)
                                .collect(Collectors.joining(", ")))
                        .append(']');
            }
        } else if (m instanceof AppendResponse ar) {
            if (ar.success()) {
                sb.append(" ok match=").append(ar.matchIndex());
            } else {
                sb.append(" reject prev=")
                        .append(ar.matchIndex())
                        .append(" hint=")
                        .append(pos(ar.rejectHintIndex(), ar.rejectHintTerm()));
            }
            sb.append(" seq=").append(ar.readSeq());
        } else if (m instanceof InstallSnapshot is) {
            sb.append(" snapshot=").append(snapshot(is.snapshot()));
        } else if (m instanceof SnapshotResponse sr) {
            sb.append(" match=").append(sr.matchIndex());
        } else if (!(m instanceof TimeoutNow)) {
            throw new IllegalArgumentException("no canonical form for " + m.getClass());
        }
        return sb.toString();
    }

    /** The type and, for votes, the flags that tell a pre-vote and a refusal apart. */
    static String kind(Message m) {
        String type = m.getClass().getSimpleName();
        if (m instanceof VoteRequest vr) {
            return type + (vr.preVote() ? " pre" : "");
        }
        if (m instanceof VoteResponse vr) {
            return type + (vr.preVote() ? " pre" : "") + (vr.granted() ? " granted" : " refused");
        }
        return type;
    }

    /** {@code index@term TYPE "data"}. */
    static String entry(LogEntry e) {
        String s = pos(e.index(), e.term()) + " " + e.type();
        return e.data().length == 0 ? s : s + " " + bytes(e.data());
    }

    static String snapshot(Snapshot s) {
        return pos(s.lastIndex(), s.lastTerm()) + " voters=" + s.membership().voters()
                + (s.membership().learners().isEmpty()
                        ? ""
                        : " learners=" + s.membership().learners())
                + " data=" + bytes(s.data());
    }

    static String pos(long index, long term) {
        return index + "@" + term;
    }

    /** A quoted string for printable UTF-8 (quotes and backslashes escaped), else {@code 0x} and hex. */
    static String bytes(byte[] data) {
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
            if (s.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
                return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        } catch (CharacterCodingException notText) {
            // fall through to hex
        }
        return "0x" + HexFormat.of().formatHex(data);
    }

    /**
     * What the golden files follow of one node between commands. The lease is on or off, not
     * its remaining ticks: those change every tick, and a line per tick would bury the changes.
     */
    record NodeState(
            boolean up, Role role, long term, String leader, long commit, boolean lease, boolean transferring) {

        static final NodeState DOWN = new NodeState(false, null, 0, null, 0, false, false);

        static NodeState of(RaftNode n) {
            return n == null
                    ? DOWN
                    : new NodeState(
                            true,
                            n.role(),
                            n.term(),
                            n.leaderId(),
                            n.commitIndex(),
                            n.leaseValid(),
                            n.isTransferringLeadership());
        }

        /**
         * {@code id: field=value ...} with the fields that differ from {@code before} (all of them
         * when the node came up), or {@code null} if nothing changed.
         */
        String changesFrom(String id, NodeState before) {
            if (equals(before)) {
                return null;
            }
            if (!up) {
                return id + ": down";
            }
            boolean all = !before.up;
            List<String> fields = new ArrayList<>();
            if (all) {
                fields.add("up");
            }
            if (all || role != before.role) {
                fields.add("role=" + role);
            }
            if (all || term != before.term) {
                fields.add("term=" + term);
            }
            if (all || !Objects.equals(leader, before.leader)) {
                fields.add("leader=" + (leader == null ? "-" : leader));
            }
            if (all || commit != before.commit) {
                fields.add("commit=" + commit);
            }
            if (all || lease != before.lease) {
                fields.add("lease=" + (lease ? "on" : "off"));
            }
            if (all || transferring != before.transferring) {
                fields.add("transferring=" + (transferring ? "yes" : "no"));
            }
            return id + ": " + String.join(" ", fields);
        }
    }

    /** One line with all the node's state the public API shows, for the {@code status} command. */
    static String status(RaftNode n) {
        return n.id() + " role=" + n.role() + " term=" + n.term() + " leader=" + orDash(n.leaderId())
                + " vote=" + orDash(n.votedFor()) + " commit=" + n.commitIndex() + " applied=" + n.appliedIndex()
                + " last=" + pos(n.lastIndex(), n.lastTerm()) + " lease=" + n.leaseRemainingTicks()
                + " transferring=" + (n.isTransferringLeadership() ? "yes" : "no");
    }

    /** The leader's view of a peer (match index, ticks since it last answered); nothing on a non-leader. */
    static String peer(RaftNode n, PeerStatus p) {
        return "  " + n.id() + "->" + p.id() + (p.voter() ? " voter" : " learner") + " match=" + p.matchIndex()
                + " contact=" + p.ticksSinceContact() + "t";
    }

    static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
