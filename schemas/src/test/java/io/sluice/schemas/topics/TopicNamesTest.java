package io.sluice.schemas.topics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicNamesTest {

    @Test
    void everyStageTopicHasItsWorkloadDlq() {
        assertThat(TopicNames.dlqOf(TopicNames.BACKFILL_DIDS)).isEqualTo("backfill.dlq");
        assertThat(TopicNames.dlqOf(TopicNames.BACKFILL_RATELIMIT)).isEqualTo("backfill.dlq");
        assertThat(TopicNames.dlqOf(TopicNames.ETL_USER_ROWS)).isEqualTo("etl.dlq");
        assertThat(TopicNames.dlqOf(TopicNames.cdcUsers("shop"))).isEqualTo("etl.dlq");
        assertThat(TopicNames.dlqOf(TopicNames.DCB_COMMANDS)).isEqualTo("dcb.dlq");
        assertThat(TopicNames.STAGE_TOPICS).hasSize(10).allSatisfy(t -> assertThat(TopicNames.dlqOf(t)).endsWith(".dlq"));
    }

    @Test
    void unknownWorkloadIsRejectedListingTheAllowedPrefixes() {
        assertThatThrownBy(() -> TopicNames.dlqOf("orders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders'").hasMessageContaining("backfill., etl., cdc., dcb.");
        assertThatThrownBy(() -> TopicNames.dlqOf("other.topic")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cdcPatternMatchesOneDatabaseSegmentOnly() {
        assertThat(TopicNames.cdcUsers("shop")).isEqualTo("cdc.shop.users");
        assertThat(TopicNames.CDC_USERS_PATTERN.matcher("cdc.shop.users").matches()).isTrue();
        assertThat(TopicNames.CDC_USERS_PATTERN.matcher("cdc.shop.orders").matches()).isFalse();
        assertThat(TopicNames.CDC_USERS_PATTERN.matcher("cdc.a.b.users").matches()).isFalse();
        assertThat(TopicNames.CDC_USERS_PATTERN.matcher("cdcXshopXusers").matches()).isFalse();
        assertThatThrownBy(() -> TopicNames.cdcUsers("a.b")).isInstanceOf(IllegalArgumentException.class);
    }
}
