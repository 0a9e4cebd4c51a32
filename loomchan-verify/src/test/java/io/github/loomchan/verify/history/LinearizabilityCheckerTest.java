package io.github.loomchan.verify.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.verify.history.Op.Kind;
import io.github.loomchan.verify.history.Op.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself, on hand-written histories whose verdict is known. */
public class LinearizabilityCheckerTest {

    private static boolean linearizable(int capacity, Op... ops) {
        return LinearizabilityChecker.check(capacity, List.of(ops)).linearizable();
    }

    @Test
    public void overlappingPutAndGetOnARendezvousChannelAreLinearizable() {
        assertTrue(linearizable(
                0,
                Op.of(0, 0, Kind.PUT, 7, 1, 4, Outcome.OK),
                Op.of(1, 1, Kind.GET, 0, 2, 3, Outcome.ITEM).withValue(7)));
    }

    @Test
    public void aRendezvousPutThatReturnsBeforeAnyGetStartsIsNot() {
        assertFalse(linearizable(
                0,
                Op.of(0, 0, Kind.PUT, 7, 1, 2, Outcome.OK),
                Op.of(1, 1, Kind.GET, 0, 3, 4, Outcome.ITEM).withValue(7)));
    }

    @Test
    public void twoSequentialOffersIntoOneSlotCannotBothSucceed() {
        assertFalse(linearizable(
                1, Op.of(0, 0, Kind.OFFER, 1, 1, 2, Outcome.OK), Op.of(1, 1, Kind.OFFER, 2, 3, 4, Outcome.OK)));
        assertTrue(linearizable(
                1, Op.of(0, 0, Kind.OFFER, 1, 1, 2, Outcome.OK), Op.of(1, 1, Kind.OFFER, 2, 3, 4, Outcome.FAILED_NOW)));
    }

    @Test
    public void aGetterLeftWaitingAfterCloseIsNot() {
        Op get = Op.of(0, 0, Kind.GET, 0, 1, 6, Outcome.INTERRUPTED);
        get.withdrawnNotBefore = 5; // interrupted by the clean-up, after the close returned
        assertFalse(linearizable(1, get, Op.of(1, 1, Kind.CLOSE, 0, 2, 3, Outcome.OK)));
        Op early = Op.of(0, 0, Kind.GET, 0, 1, 6, Outcome.INTERRUPTED);
        early.withdrawnNotBefore = 2; // interrupted before the close could reach it
        assertTrue(linearizable(1, early, Op.of(1, 1, Kind.CLOSE, 0, 3, 4, Outcome.OK)));
    }

    @Test
    public void anInterruptedPutLeavesNoItemBehind() {
        Op put = Op.of(0, 0, Kind.PUT, 9, 3, 6, Outcome.INTERRUPTED);
        put.withdrawnNotBefore = 4;
        Op snapshot = Op.of(2, 2, Kind.SNAPSHOT, 0, 7, 8, Outcome.VALUE);
        snapshot.list = List.of(5);
        assertTrue(linearizable(1, put, Op.of(1, 1, Kind.PUT, 5, 1, 2, Outcome.OK), snapshot));
        Op leaked = Op.of(2, 2, Kind.SNAPSHOT, 0, 7, 8, Outcome.VALUE);
        leaked.list = List.of(5, 9);
        assertFalse(linearizable(2, put, Op.of(1, 1, Kind.PUT, 5, 1, 2, Outcome.OK), leaked));
    }

    @Test
    public void closeFailsAWaitingPutterButLetsGettersDrainTheBuffer() {
        // buffered(1): put(1) fills, put(2) waits, close fails put(2); get still returns 1, then CLOSED
        assertTrue(linearizable(
                1,
                Op.of(0, 0, Kind.PUT, 1, 1, 2, Outcome.OK),
                Op.of(1, 1, Kind.PUT, 2, 3, 8, Outcome.CLOSED),
                Op.of(2, 2, Kind.CLOSE, 0, 4, 5, Outcome.OK),
                Op.of(3, 2, Kind.GET, 0, 6, 7, Outcome.ITEM).withValue(1),
                Op.of(4, 2, Kind.GET, 0, 9, 10, Outcome.CLOSED)));
        assertFalse(linearizable(
                1,
                Op.of(0, 0, Kind.PUT, 1, 1, 2, Outcome.OK),
                Op.of(1, 2, Kind.CLOSE, 0, 3, 4, Outcome.OK),
                Op.of(2, 2, Kind.GET, 0, 5, 6, Outcome.CLOSED)));
    }
}
