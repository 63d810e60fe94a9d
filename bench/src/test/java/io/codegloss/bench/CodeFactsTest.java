package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.bench.CodeFacts.SpanCode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodeFactsTest {

  private static final String PUSH =
      """
      def heappush(heap, item):
          \"\"\"Push item onto heap; see heappop() for the reverse.\"\"\"
          heap.append(item)
          _siftdown(heap, 0, len(heap)-1)
      """;
  private static final String POP =
      """
      def heappop(heap):
          lastelt = heap.pop()
          return lastelt
      """;
  private static final String SIFT =
      """
      def _siftdown(heap, startpos, pos):
          # called by heappush(); never by heappop()
          newitem = heap[pos]
          heap[pos] = newitem
      """;
  private static final String CLASS =
      """
      class Queue:
          def __init__(self, maxsize=0):
              self.maxsize = maxsize
              self._init(maxsize)
          def _init(self, maxsize):
              self.queue = []
          def qsize(self):
              return len(self.queue)
      """;

  private static SpanCode span(
      long id, String kind, String name, Long parent, int start, String code) {
    int end = start + (int) code.lines().count() - 1;
    return new SpanCode(id, 1, parent, kind, name, "python", start, end, code);
  }

  private final SpanCode push = span(1, "function", "heappush", null, 1, PUSH);
  private final SpanCode pop = span(2, "function", "heappop", null, 10, POP);
  private final SpanCode sift = span(3, "function", "_siftdown", null, 20, SIFT);
  private final SpanCode queue = span(4, "class", "Queue", null, 30, CLASS);
  private final SpanCode init =
      span(
          5,
          "method",
          "__init__",
          4L,
          31,
          CLASS.lines().skip(1).limit(3).map(l -> l + "\n").reduce("", String::concat));
  private final SpanCode initHelper =
      span(
          6,
          "method",
          "_init",
          4L,
          34,
          CLASS.lines().skip(4).limit(2).map(l -> l + "\n").reduce("", String::concat));
  private final SpanCode qsize =
      span(
          7,
          "method",
          "qsize",
          4L,
          36,
          CLASS.lines().skip(6).limit(2).map(l -> l + "\n").reduce("", String::concat));

  private final List<SpanCode> file = List.of(push, pop, sift, queue, init, initHelper, qsize);

  @Test
  void aCallMakesBothSpansRelatedButMentionsInCommentsAndStringsDoNot() {
    Map<Long, Set<Long>> truth = CodeFacts.relationships(file);

    assertThat(truth.get(push.id())).containsExactly(sift.id());
    assertThat(truth.get(sift.id())).containsExactly(push.id());
    assertThat(truth.get(pop.id())).isEmpty();
  }

  @Test
  void selfCallsRelateMethodsOfTheSameClassButNotTheClassToItsOwnMethods() {
    Map<Long, Set<Long>> truth = CodeFacts.relationships(file);

    assertThat(truth.get(init.id())).containsExactly(initHelper.id());
    assertThat(truth.get(initHelper.id())).containsExactly(init.id());
    assertThat(truth.get(queue.id())).isEmpty();
  }

  @Test
  void completenessFactsFollowParametersReturnsAndStateChanges() {
    assertThat(CodeFacts.facts(push, file)).isEqualTo(new CodeFacts.Facts(true, false, true));
    assertThat(CodeFacts.facts(pop, file)).isEqualTo(new CodeFacts.Facts(true, true, true));
    assertThat(CodeFacts.facts(qsize, file)).isEqualTo(new CodeFacts.Facts(false, true, false));
    assertThat(CodeFacts.facts(initHelper, file)).isEqualTo(new CodeFacts.Facts(true, false, true));
    assertThat(CodeFacts.facts(queue, file)).isNull();
  }
}
