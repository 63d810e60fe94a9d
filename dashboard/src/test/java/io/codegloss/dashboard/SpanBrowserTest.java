package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The span browser in headless Chromium: search, a span's note, links both ways, escaping. */
class SpanBrowserTest extends BrowserTest {

  private static final String TAG_SYMBOL = "<b>render</b>";
  private static final String HOSTILE_SUMMARY =
      "Renders <script>document.title='pwned'</script> the user's <i>profile</i>.";

  private TestDatabase testDb;
  private DashboardServer server;
  private long setEmail;
  private long validateEmail;
  private long tagSpan;

  @BeforeEach
  void indexedRepositoryWithOneNote() {
    testDb = TestDatabase.fresh();
    Seed seed = Seed.into(testDb);
    seed.repo("/src/shop").file("app/user.py");
    setEmail =
        seed.span(
                "User.set_email",
                s ->
                    s.lines(13, 16)
                        .signature("def set_email(self, email):")
                        .code(
                            "def set_email(self, email):\n"
                                + "    if not self.validate_email(email):\n"
                                + "        raise ValueError(email)\n"
                                + "    self._email = email\n"))
            .spanId();
    validateEmail = seed.span("User.validate_email", 18, 19).spanId();
    tagSpan =
        seed.span(TAG_SYMBOL, s -> s.lines(22, 24).code("def render():\n    return '<b>'\n"))
            .spanId();
    seed.spanCall(setEmail, 14, "validate_email", validateEmail);
    seed.spanCall(tagSpan, 23, "set_email", setEmail);
    seed.enrichment(
        setEmail,
        e ->
            e.model("gemma-3-270m")
                .promptVersion(2)
                .payload(
                    EnrichmentJson.toJson(
                        note("Stores the address once validate_email accepts it."))));
    seed.enrichment(tagSpan, e -> e.payload(EnrichmentJson.toJson(note(HOSTILE_SUMMARY))));
    // as a worker records a note written from cut code (DocCompletionRunner, EnrichmentPipeline)
    testDb
        .database()
        .inTransaction(
            c -> {
              try (java.sql.PreparedStatement ps =
                  c.prepareStatement("update enrichments set notes = ? where span_id = ?")) {
                ps.setString(1, CUT_NOTE);
                ps.setLong(2, setEmail);
                ps.executeUpdate();
              }
            });
    server =
        new DashboardServer(
                testDb.database(),
                new DashboardSettings(0, 45, "http://localhost:8000", 1, null, null))
            .start(0);
  }

  @AfterEach
  void stop() {
    server.stop();
    testDb.close();
  }

  private static final String CUT_NOTE =
      "code cut: its last 3 lines left out to fit a 384-token prompt";

  private static Enrichment note(String summary) {
    return new Enrichment(
        summary,
        List.of(),
        List.of(),
        List.of(),
        List.of("raises ValueError on a bad address"),
        null,
        List.of(),
        List.of());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void aPersonSearchesOpensASpanReadsItsNoteWithSourcesAndFollowsItsCallsBothWays() {
    browser.get(base() + "/spans");
    WebElement box = browser.findElement(By.id("search-input"));
    box.sendKeys("set_email");
    browser.findElement(By.id("search-button")).click();
    waitFor("results", d -> !d.findElements(By.cssSelector("[data-testid='result']")).isEmpty());
    assertThat(browser.getCurrentUrl()).endsWith("/spans?q=set_email");
    List<String> symbols =
        browser.findElements(By.cssSelector("[data-testid='result'] a")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(symbols).contains("User.set_email");

    browser.findElement(By.linkText("User.set_email")).click();
    waitFor("the span page", d -> text("span-symbol").equals("User.set_email"));
    assertThat(text("span-where")).isEqualTo("app/user.py:13-16");
    assertThat(row("summary")).contains("Stores the address once validate_email accepts it.");
    assertThat(source("summary")).isEqualTo("model gemma-3-270m, prompt v2");
    assertThat(source("pitfalls")).isEqualTo("model gemma-3-270m, prompt v2");
    assertThat(row("signature")).contains("def set_email(self, email):");
    assertThat(source("signature")).isEqualTo("analysis");
    assertThat(text("code")).contains("raise ValueError(email)");
    assertThat(text("callers")).contains(TAG_SYMBOL).contains("line 23");
    assertThat(text("note-notes"))
        .as("a reader sees the prose rests on cut code")
        .contains(CUT_NOTE);

    browser.findElement(By.id("callees")).findElement(By.linkText("User.validate_email")).click();
    waitFor("the callee's page", d -> text("span-symbol").equals("User.validate_email"));
    assertThat(text("callers")).contains("User.set_email").contains("line 14");
    assertThat(browser.findElement(By.id("note-notes")).isDisplayed())
        .as("no note, nothing to say about it")
        .isFalse();
  }

  @Test
  void aSymbolNamedLikeAnHtmlTagAndMarkupInAModelsSummaryRenderAsText() {
    browser.get(base() + "/spans?id=" + tagSpan);
    waitFor("the span page", d -> !text("span-symbol").isEmpty());
    assertThat(text("span-symbol")).isEqualTo(TAG_SYMBOL);
    assertThat(row("summary")).contains(HOSTILE_SUMMARY);
    assertThat(browser.findElements(By.cssSelector("#span b, #span i, #span script"))).isEmpty();
    assertThat(browser.getTitle()).isEqualTo(TAG_SYMBOL + " – codegloss");

    browser.get(base() + "/spans?q=" + "render");
    waitFor("results", d -> !d.findElements(By.cssSelector("[data-testid='result']")).isEmpty());
    assertThat(browser.findElement(By.cssSelector("[data-testid='result'] a")).getText())
        .isEqualTo(TAG_SYMBOL);
    assertThat(browser.findElements(By.cssSelector("#results b, #results script"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return document.title"))
        .isEqualTo("codegloss spans");
  }

  @Test
  void theApiAnswersAMissingSpanWith404AndASearchWithoutTextWith400() {
    Http http = new Http(server.port());
    assertThat(http.get("/api/spans/987654321").statusCode()).isEqualTo(404);
    assertThat(http.get("/api/spans/abc").statusCode()).isEqualTo(400);
    assertThat(http.get("/api/search").statusCode()).isEqualTo(400);
    assertThat(http.get("/api/search?q=x&limit=0").statusCode()).isEqualTo(400);
    var span = http.json("/api/spans/" + setEmail);
    assertThat(span.path("repositoryRoot").asText()).isEqualTo("/src/shop");
    assertThat(span.path("note").path("symbol").asText()).isEqualTo("User.set_email");
    assertThat(span.path("note").path("calls").get(0).path("spanId").asLong())
        .isEqualTo(validateEmail);
    var hits = http.json("/api/search?q=validate_email");
    assertThat(hits.path("hits").findValuesAsText("symbol")).contains("User.validate_email");
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private String row(String field) {
    return browser
        .findElement(By.cssSelector("[data-testid='note-field'][data-field='" + field + "'] td"))
        .getText();
  }

  private String source(String field) {
    return browser
        .findElement(
            By.cssSelector(
                "[data-testid='note-field'][data-field='"
                    + field
                    + "'] [data-testid='note-source']"))
        .getText();
  }

  private void waitFor(String what, java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .withMessage(
            () ->
                "waiting for "
                    + what
                    + "; message: "
                    + browser.findElement(By.id("message")).getText())
        .until(condition::apply);
  }
}
