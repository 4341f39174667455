package io.sluice.ops.dlq;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DlqSelectionTest {

    @Test
    void offsetRangesParseStrictly() {
        assertThat(DlqSelection.parseOffsets("12")).containsExactly(12, 12);
        assertThat(DlqSelection.parseOffsets("12..20")).containsExactly(12, 20);
        assertThatThrownBy(() -> DlqSelection.parseOffsets("20..12")).hasMessageContaining("FROM <= TO");
        assertThatThrownBy(() -> DlqSelection.parseOffsets("a..b")).hasMessageContaining("'a..b'");
        assertThatThrownBy(() -> DlqSelection.parseOffsets("1..2..3")).hasMessageContaining("FROM..TO");
    }
}
