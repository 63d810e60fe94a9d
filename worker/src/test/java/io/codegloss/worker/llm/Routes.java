package io.codegloss.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher: completions are answered from a queue (the faults of a test), other
 * paths from fixed answers (404 unless set), and every completion request is kept.
 */
final class Routes extends Dispatcher {

  final ConcurrentLinkedQueue<MockResponse> chat = new ConcurrentLinkedQueue<>();
  final Map<String, MockResponse> fixed = new ConcurrentHashMap<>();
  final List<RecordedRequest> chatRequests = new CopyOnWriteArrayList<>();
  final List<RecordedRequest> otherRequests = new CopyOnWriteArrayList<>();
  private final String chatPath;

  Routes(String chatPath) {
    this.chatPath = chatPath;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.equals(chatPath)) {
      chatRequests.add(request);
      MockResponse next = chat.poll();
      return next != null
          ? next
          : new MockResponse.Builder().code(599).body("test queued no answer").build();
    }
    otherRequests.add(request);
    MockResponse r = fixed.get(path);
    return r != null ? r : new MockResponse.Builder().code(404).body("not found").build();
  }

  int chatCalls() {
    return chatRequests.size();
  }

  JsonNode chatBody(int i) throws IOException {
    return Json.MAPPER.readTree(chatRequests.get(i).getBody().utf8());
  }
}
