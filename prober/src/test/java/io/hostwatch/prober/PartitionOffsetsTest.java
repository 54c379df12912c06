package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    @Test
    void shouldCommitOnlyUpToTheLowestUnansweredRequestWhenAnswersArriveOutOfOrder() {
        // given
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.started(5);
        offsets.started(6);
        offsets.started(7);

        // when the later ones are answered first
        offsets.done(7);
        offsets.done(6);

        // then
        assertThat(offsets.committable()).hasValue(5);
        assertThat(offsets.inFlight()).isEqualTo(1);

        // when
        offsets.done(5);

        // then
        assertThat(offsets.committable()).hasValue(8);
    }

    @Test
    void shouldCountDeadLetteredRecordsAsHandled() {
        // given
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.started(0);
        offsets.done(0);

        // when
        offsets.skipped(1);

        // then
        assertThat(offsets.committable()).hasValue(2);
    }

    @Test
    void shouldNeverCommitPastAFailedPublishUntilReset() {
        // given
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.started(3);
        offsets.started(4);

        // when
        offsets.failed(3);
        offsets.done(3);
        offsets.done(4);

        // then
        assertThat(offsets.committable()).hasValue(3);
        assertThat(offsets.inFlight()).isZero();

        // when re-read from 3
        int generation = offsets.generation();
        offsets.reset();

        // then
        assertThat(offsets.generation()).isNotEqualTo(generation);
        assertThat(offsets.committable()).isEmpty();
    }

    @Test
    void shouldOfferACommitOnlyWhenTheOffsetMoved() {
        // given
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.started(0);
        offsets.done(0);
        offsets.committed(offsets.toCommit().getAsLong());

        // then
        assertThat(offsets.toCommit()).isEmpty();
        offsets.started(1);
        offsets.done(1);
        assertThat(offsets.toCommit()).hasValue(2);
    }
}
