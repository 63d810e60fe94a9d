package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.queue.JobSizing;
import org.junit.jupiter.api.Test;

class JobSizingTest {

  @Test
  void aSingleSpanJobIsItsCodePlusInstructionsMarkerAndOneOutputBudget() {
    assertThat(JobSizing.outputCap(1)).isEqualTo(352 + 16);
    assertThat(JobSizing.promptOverhead(1)).isEqualTo(600 + 24);
    assertThat(JobSizing.jobTokens(300, 1)).isEqualTo(600 + 24 + 300 + 352 + 16);
  }

  @Test
  void theOutputCapGrowsWithEverySpanOfABatch() {
    assertThat(JobSizing.outputCap(5)).isEqualTo(5 * 352 + 16);
    assertThat(JobSizing.jobTokens(1750, 5)).isEqualTo(600 + 5 * 24 + 1750 + 5 * 352 + 16);
  }

  @Test
  void aBatchIsCheaperThanItsSpansAsSingles() {
    int batch = JobSizing.jobTokens(5 * 350, 5);
    int singles = 5 * JobSizing.jobTokens(350, 1);
    assertThat(batch).isLessThan(singles);
  }

  @Test
  void aJobWithoutSpansOrWithNegativeTokensIsRejected() {
    assertThatThrownBy(() -> JobSizing.outputCap(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobSizing.jobTokens(-1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAbsurdSizeOverflowsLoudlyInsteadOfWrappingAround() {
    assertThatThrownBy(() -> JobSizing.jobTokens(Integer.MAX_VALUE - 10, 1))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void aSingleSpanIsStoredWholeUpToADefaultWorkerAndAtADefaultWorkersSizeAbove() {
    assertThat(JobSizing.singleJobTokens(7_200))
        .isEqualTo(JobSizing.jobTokens(7_200, 1))
        .isEqualTo(8_192);
    assertThat(JobSizing.singleJobTokens(7_201)).isEqualTo(8_192);
    assertThat(JobSizing.singleJobTokens(69_157)).isEqualTo(8_192);
    assertThat(JobSizing.singleJobTokens(100)).isEqualTo(JobSizing.jobTokens(100, 1));
    assertThat(JobSizing.singleJobTokens(20_000, 12_000)).isEqualTo(12_000);
    assertThat(JobSizing.singleJobTokens(5_000, 10))
        .as("never below the prompt's fixed part and one output cap")
        .isEqualTo(JobSizing.jobTokens(0, 1));
  }
}
