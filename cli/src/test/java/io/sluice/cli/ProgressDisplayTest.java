package io.sluice.cli;

import io.sluice.backfill.publish.PublishProgress;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressDisplayTest {

    @Test
    void theBarShowsTheShareOfTheFileRead() {
        assertThat(ProgressDisplay.bar(new PublishProgress(0, 0, 0, 0, 0, 0, 1000)))
                .isEqualTo("[..............................]   0%");
        assertThat(ProgressDisplay.bar(new PublishProgress(10, 9, 9, 1, 0, 500, 1000)))
                .isEqualTo("[###############...............]  50%");
        assertThat(ProgressDisplay.bar(new PublishProgress(10, 9, 9, 1, 0, 1000, 1000)))
                .isEqualTo("[##############################] 100%");
        assertThat(ProgressDisplay.bar(new PublishProgress(10, 9, 9, 1, 0, 500, -1))).startsWith("[???");
    }

    @Test
    void onATerminalItRedrawsOneLine() {
        StringWriter err = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(err), true);
        display.onProgress(new PublishProgress(1_000, 990, 900, 5, 5, 100, 1000));
        display.onProgress(new PublishProgress(2_000, 1990, 1900, 5, 5, 200, 1000));
        display.finish();

        assertThat(err.toString()).startsWith("\r[").contains("2,000 lines, 1,900 published, 5 duplicates, 5 invalid")
                .endsWith(System.lineSeparator()).doesNotContain("\n[");
    }

    @Test
    void withoutATerminalItWritesAPlainLineNowAndThen() {
        StringWriter err = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(err), false);
        for (int i = 0; i < 100; i++) display.onProgress(new PublishProgress(i, i, i, 0, 0, i, 100));
        display.finish();

        // The first line comes after LINE_INTERVAL; a quick run prints none and leaves the summary alone.
        assertThat(err.toString()).doesNotContain("\r").doesNotContain("[");
    }
}
