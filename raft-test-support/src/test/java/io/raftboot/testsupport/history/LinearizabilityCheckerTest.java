package io.raftboot.testsupport.history;

import static io.raftboot.testsupport.history.Operation.cas;
import static io.raftboot.testsupport.history.Operation.delete;
import static io.raftboot.testsupport.history.Operation.put;
import static io.raftboot.testsupport.history.Operation.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written histories, each read as a timeline: {@code [invoke, complete]} in nanoseconds. */
class LinearizabilityCheckerTest {

    private static final String K = "color";

    private static void assertLinearizable(Operation... history) {
        CheckResult result = LinearizabilityChecker.check(List.of(history));
        assertThat(result.linearizable()).as(result.explanation()).isTrue();
        assertThat(result.inconclusive()).isFalse();
        assertThat(result.key()).isNull();
    }

    private static CheckResult assertNotLinearizable(Operation... history) {
        CheckResult result = LinearizabilityChecker.check(List.of(history));
        assertThat(result.violation()).as(result.explanation()).isTrue();
        assertThat(result.linearizable()).isFalse();
        return result;
    }

    // ------------------------------------------------------------------ accepted

    @Test
    void anEmptyHistoryIsLinearizable() {
        assertLinearizable();
    }

    @Test
    void aSequentialHistoryThatFollowsTheStoreIsLinearizable() {
        assertLinearizable(
                put(1, "a", K, "red", 0, 10, 1),
                put(2, "a", K, "blue", 20, 30, 2),
                read(3, "b", K, 40, 50, "blue", 2),
                cas(4, "b", K, 2, "green", 60, 70, true, 3),
                cas(5, "a", K, 2, "pink", 80, 90, false, 3),
                delete(6, "a", K, 100, 110, true),
                delete(7, "b", K, 120, 130, false),
                read(8, "a", K, 140, 150, null, 0),
                cas(9, "b", K, 0, "lock", 160, 170, true, 1), // a key created again starts over at 1
                cas(10, "b", K, 1, null, 180, 190, true, 0), // a CAS with no value deletes
                read(11, "a", K, 200, 210, null, 0));
    }

    @Test
    void overlappingOperationsMayTakeEffectInAnotherOrderThanTheyWereInvoked() {
        assertLinearizable(
                put(1, "a", K, "red", 0, 100, 2), // invoked first, took effect second
                put(2, "b", K, "blue", 10, 50, 1),
                read(3, "c", K, 20, 30, null, 0), // before both
                read(4, "c", K, 60, 70, "blue", 1), // still during red's put
                read(5, "c", K, 110, 120, "red", 2));
    }

    @Test
    void anOperationInvokedAtTheNanosecondAnotherCompletedCountsAsConcurrentWithIt() {
        assertLinearizable(put(1, "a", K, "red", 0, 10, 1), read(2, "b", K, 10, 20, null, 0));
    }

    @Test
    void anUnknownPutMayHaveTakenEffectBeforeALaterRead() {
        assertLinearizable(Operation.unknownPut(1, "a", K, "red", 0), read(2, "b", K, 100, 110, "red", 1));
    }

    @Test
    void anUnknownPutMayNeverHaveTakenEffect() {
        assertLinearizable(
                Operation.unknownPut(1, "a", K, "red", 0),
                read(2, "b", K, 100, 110, null, 0),
                put(3, "b", K, "blue", 120, 130, 1),
                read(4, "b", K, 140, 150, "blue", 1));
    }

    @Test
    void anUnknownPutMayTakeEffectLongAfterItsClientGaveUp() {
        assertLinearizable(
                Operation.unknownPut(1, "a", K, "red", 0),
                put(2, "b", K, "blue", 10, 20, 1),
                read(3, "c", K, 30, 40, "blue", 1),
                read(4, "c", K, 50, 60, "red", 2));
    }

    @Test
    void anUnknownCasMayHaveTakenTheLockAnotherClientThenFoundTaken() {
        assertLinearizable(
                Operation.unknownCas(1, "a", K, 0, "lock-a", 0),
                cas(2, "b", K, 0, "lock-b", 10, 20, false, 1),
                read(3, "b", K, 30, 40, "lock-a", 1));
    }

    @Test
    void anUnknownReadConstrainsNothing() {
        assertLinearizable(
                put(1, "a", K, "red", 0, 10, 1),
                Operation.unknownRead(2, "b", K, 20),
                read(3, "b", K, 30, 40, "red", 1));
    }

    @Test
    void operationsOnDifferentKeysDoNotConstrainEachOther() {
        assertLinearizable(
                put(1, "a", "x", "1", 0, 10, 1),
                put(2, "a", "y", "1", 5, 15, 1),
                read(3, "b", "y", 20, 30, "1", 1),
                read(4, "b", "x", 20, 30, "1", 1),
                delete(5, "a", "x", 40, 50, true),
                read(6, "b", "y", 60, 70, "1", 1));
    }

    // ------------------------------------------------------------------ rejected

    @Test
    void aReadThatMissesAWriteThatCompletedBeforeItIsRejected() {
        assertNotLinearizable(put(1, "a", K, "red", 0, 10, 1), read(2, "b", K, 20, 30, null, 0));
    }

    @Test
    void aStaleReadAfterALaterWriteCompletedIsRejected() {
        CheckResult result = assertNotLinearizable(
                put(1, "a", K, "red", 0, 10, 1), put(2, "b", K, "blue", 20, 30, 2), read(3, "c", K, 40, 50, "red", 1));

        assertThat(result.key()).isEqualTo(K);
        assertThat(result.explanation())
                .contains("key '" + K + "'")
                .contains("Longest linearizable prefix found: 2 operations")
                .contains("#3 c READ => \"red\" v1")
                .contains("in state \"blue\" v2 it would answer \"blue\" v2");
    }

    @Test
    void aLostUpdateIsRejected() {
        // a's put was applied again after b's acknowledged put: readers see red, blue, red.
        assertNotLinearizable(
                put(1, "a", K, "red", 0, 10, 1),
                put(2, "b", K, "blue", 20, 30, 2),
                read(3, "c", K, 32, 35, "blue", 2),
                read(4, "c", K, 40, 50, "red", 3));
    }

    @Test
    void aPutAppliedTwiceIsRejectedByTheVersionItReports() {
        assertNotLinearizable(put(1, "a", K, "red", 0, 10, 2), read(2, "b", K, 20, 30, "red", 2));
    }

    @Test
    void aPutAppliedTwiceIsRejectedByTheVersionALaterReadSees() {
        assertNotLinearizable(put(1, "a", K, "red", 0, 10, 1), read(2, "b", K, 20, 30, "red", 2));
    }

    @Test
    void aLockWonByTwoConcurrentCasIsRejected() {
        assertNotLinearizable(cas(1, "a", K, 0, "lock-a", 0, 10, true, 1), cas(2, "b", K, 0, "lock-b", 5, 15, true, 1));
    }

    @Test
    void aRetriedDeleteThatRemovesALockAnotherClientTookIsRejected() {
        // a's delete was retried after an unknown outcome and applied twice: once on "old", once on
        // b's lock, so that c could take the lock b still held. Recorded as the one delete a issued.
        assertNotLinearizable(
                put(1, "a", K, "old", 0, 10, 1),
                delete(2, "a", K, 20, 60, true),
                cas(3, "b", K, 0, "lock-b", 40, 50, true, 1),
                cas(4, "c", K, 0, "lock-c", 70, 80, true, 1));
    }

    @Test
    void aReadOfAValueNobodyWroteIsRejected() {
        assertNotLinearizable(Operation.unknownPut(1, "a", K, "red", 0), read(2, "b", K, 10, 20, "blue", 1));
    }

    @Test
    void aViolationOnOneKeyIsReportedWithThatKeyWhenTheOthersAreFine() {
        CheckResult result = assertNotLinearizable(
                put(1, "a", "fine", "1", 0, 10, 1),
                read(2, "b", "fine", 20, 30, "1", 1),
                put(3, "a", "broken", "1", 0, 10, 1),
                read(4, "b", "broken", 20, 30, null, 0));

        assertThat(result.key()).isEqualTo("broken");
    }

    // ------------------------------------------------------------------ the store's answers

    @Test
    void aDeleteOfAnAbsentKeyReportedAsAppliedIsRejected() {
        assertNotLinearizable(delete(1, "a", K, 0, 10, true));
    }

    @Test
    void aCasThatFoundAnotherVersionMustReportTheCurrentOne() {
        assertLinearizable(put(1, "a", K, "red", 0, 10, 1), cas(2, "b", K, 5, "blue", 20, 30, false, 1));
        assertNotLinearizable(put(1, "a", K, "red", 0, 10, 1), cas(2, "b", K, 5, "blue", 20, 30, false, 5));
    }

    @Test
    void aCasWithTheExpectedVersionCannotReportNotApplied() {
        assertNotLinearizable(put(1, "a", K, "red", 0, 10, 1), cas(2, "b", K, 1, "blue", 20, 30, false, 1));
    }

    @Test
    void aKeyCreatedAgainAfterADeleteStartsOverAtVersionOne() {
        assertNotLinearizable(
                put(1, "a", K, "red", 0, 10, 1), delete(2, "a", K, 20, 30, true), put(3, "a", K, "blue", 40, 50, 2));
    }

    // ------------------------------------------------------------------ budget

    @Test
    void aSearchThatRunsOutOfBudgetIsInconclusiveNeverLinearizable() {
        CheckResult result = LinearizabilityChecker.check(
                List.of(put(1, "a", K, "red", 0, 10, 1), read(2, "b", K, 20, 30, "red", 1)), 1);

        assertThat(result.inconclusive()).isTrue();
        assertThat(result.linearizable()).isFalse();
        assertThat(result.violation()).isFalse();
        assertThat(result.key()).isEqualTo(K);
        assertThat(result.explanation()).contains("budget");
    }
}
